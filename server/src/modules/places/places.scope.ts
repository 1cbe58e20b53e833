import { SUPERVISOR_ROLES } from '@palm/shared'
import type { Actor } from '../auth/actor'
import { isInScope } from '../auth/policy'
import { NotFoundError } from '../../errors'
import type { EntityManager } from 'typeorm'
import { Grid } from '../territory/territory.entity'

/** Staff who work with places and grid profiles: every territorial role (not department staff). */
export const TERRITORY_STAFF = ['grid_worker', 'community_staff', 'street_admin', 'district_admin'] as const
/** Who enters the 人 counts and the community's public contacts: community staff and above. */
export const PROFILE_EDITORS = SUPERVISOR_ROLES

export const gridNotFound = (): NotFoundError => new NotFoundError('No such grid in your area.')

/** True when the grid lies in the actor's territory (their grids, community, street, or the district). */
export function gridInScope(actor: Actor, grid: Pick<Grid, 'code' | 'communityCode' | 'streetCode'>): boolean {
  return isInScope(actor, { gridCode: grid.code, communityCode: grid.communityCode, streetCode: grid.streetCode })
}

/** The grid, or 404 when it does not exist or lies outside the actor's territory (existence not revealed). */
export async function requireGridInScope(em: EntityManager, actor: Actor, gridCode: string): Promise<Grid> {
  const grid = await em.getRepository(Grid).findOneBy({ code: gridCode })
  if (!grid || !gridInScope(actor, grid)) throw gridNotFound()
  return grid
}
