import { DISTRICT_CODE, DISTRICT_NAME, type StatsLevel } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import { isInScope, type ScopedObject } from '../auth/policy'
import { Community, Grid, Street } from '../territory/territory.entity'

export interface Unit {
  level: StatsLevel
  code: string
  name: string
  /** The stats_daily / tickets column that holds this level's code; none for the district (everything). */
  column: 'grid_code' | 'community_code' | 'street_code' | null
  scope: ScopedObject
}

export interface ChildUnits {
  level: StatsLevel | null
  column: 'grid_code' | 'community_code' | 'street_code' | null
  units: Array<{ code: string; name: string }>
}

/** The territory unit asked for, with its place in the nesting (for the scope check), or undefined. */
export async function findUnit(em: EntityManager, level: StatsLevel, code: string | undefined): Promise<Unit | undefined> {
  switch (level) {
    case 'district':
      return code === undefined || code === DISTRICT_CODE ? { level, code: DISTRICT_CODE, name: DISTRICT_NAME, column: null, scope: {} } : undefined
    case 'street': {
      const s = code ? await em.getRepository(Street).findOneBy({ code }) : null
      return s ? { level, code: s.code, name: s.name, column: 'street_code', scope: { streetCode: s.code } } : undefined
    }
    case 'community': {
      const c = code ? await em.getRepository(Community).findOneBy({ code }) : null
      return c ? { level, code: c.code, name: c.name, column: 'community_code', scope: { communityCode: c.code, streetCode: c.streetCode } } : undefined
    }
    case 'grid': {
      const g = code ? await em.getRepository(Grid).findOneBy({ code }) : null
      return g ? { level, code: g.code, name: g.name, column: 'grid_code', scope: { gridCode: g.code, communityCode: g.communityCode, streetCode: g.streetCode } } : undefined
    }
  }
}

/** The unit, if it exists and the actor may see it; else 404 (existence is not revealed). */
export async function unitInScope(em: EntityManager, actor: Actor, level: StatsLevel, code: string | undefined): Promise<Unit> {
  const unit = await findUnit(em, level, code)
  if (!unit || !isInScope(actor, unit.scope)) throw new NotFoundError('There are no statistics here for you.')
  return unit
}

/** The units one level down (district → streets → communities → grids), in code order. */
export async function childrenOf(em: EntityManager, unit: Unit): Promise<ChildUnits> {
  const order = { code: 'ASC' } as const
  switch (unit.level) {
    case 'district':
      return { level: 'street', column: 'street_code', units: await em.getRepository(Street).find({ select: { code: true, name: true }, order }) }
    case 'street':
      return { level: 'community', column: 'community_code', units: await em.getRepository(Community).find({ select: { code: true, name: true }, where: { streetCode: unit.code }, order }) }
    case 'community':
      return { level: 'grid', column: 'grid_code', units: await em.getRepository(Grid).find({ select: { code: true, name: true }, where: { communityCode: unit.code }, order }) }
    case 'grid':
      return { level: null, column: null, units: [] }
  }
}
