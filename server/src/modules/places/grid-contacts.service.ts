import type { CommunityContactsView, CommunityOfficeInput, CommunityOfficeView, WorkerCardInput } from '@palm/shared'
import { In } from 'typeorm'
import type { AppDeps } from '../../deps'
import { withTx } from '../../db/tx'
import { NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import { isInScope, requireCommunityInScope } from '../auth/policy'
import { User } from '../auth/user.entity'
import { recordAudit } from '../audit/index'
import { Grid } from '../territory/territory.entity'
import { presentOffice } from './my-grid.service'
import { CommunityOffice, StaffCard } from './places.entity'

/**
 * The public contacts of a community that 我的网格 shows residents (docs/places-and-grids.md): the
 * community office and each grid worker's work number, read and set by staff in scope. Private
 * phones (users.phone) are never read here.
 */

/** The community's office and its grid workers with their work numbers, for the staff page 网格联系方式. */
export async function communityContacts(deps: Pick<AppDeps, 'ds'>, actor: Actor, communityCode: string): Promise<CommunityContactsView> {
  const em = deps.ds.manager
  const community = await requireCommunityInScope(em, actor, communityCode)
  const [office, workers] = await Promise.all([
    em.getRepository(CommunityOffice).findOneBy({ communityCode }),
    em
      .getRepository(User)
      .find({ select: { id: true, displayName: true, gridCode: true }, where: { communityCode, role: 'grid_worker', disabled: false }, order: { gridCode: 'ASC', displayName: 'ASC', id: 'ASC' } })
  ])
  const ids = workers.map((w) => w.id)
  const gridCodes = [...new Set(workers.map((w) => w.gridCode).filter((c): c is string => !!c))]
  const [cards, grids] = await Promise.all([
    ids.length ? em.getRepository(StaffCard).find({ where: { userId: In(ids) } }) : [],
    gridCodes.length ? em.getRepository(Grid).find({ select: { code: true, name: true }, where: { code: In(gridCodes) } }) : []
  ])
  const phoneOf = new Map(cards.map((c) => [c.userId, c.workPhone]))
  const gridName = new Map(grids.map((g) => [g.code, g.name]))
  return {
    community: { code: community.code, name: community.name },
    office: office ? presentOffice(office) : null,
    workers: workers.map((w) => ({
      id: w.id,
      displayName: w.displayName,
      grid: w.gridCode ? { code: w.gridCode, name: gridName.get(w.gridCode) ?? w.gridCode } : null,
      workPhone: phoneOf.get(w.id) ?? null
    }))
  }
}

/** Community staff (and above, in scope) set their community office's public details. Audited. */
export async function setCommunityOffice(deps: Pick<AppDeps, 'ds' | 'now'>, actor: Actor, communityCode: string, input: CommunityOfficeInput): Promise<CommunityOfficeView> {
  const now = deps.now()
  await withTx(deps.ds, async (em) => {
    await requireCommunityInScope(em, actor, communityCode)
    const values = { name: input.name, address: input.address || null, phone: input.phone || null, hours: input.hours || null, updatedAt: now }
    const changed = await em.getRepository(CommunityOffice).update({ communityCode }, values)
    if (!changed.affected) await em.getRepository(CommunityOffice).insert({ communityCode, ...values })
    await recordAudit(em, { action: 'grid_contact.office', objectType: 'community', objectId: communityCode, detail: { fields: Object.keys(input) } })
  })
  return presentOffice(await deps.ds.getRepository(CommunityOffice).findOneByOrFail({ communityCode }))
}

/** A grid worker's public work number, set by community staff (and above) in scope. Audited. */
export async function setWorkerCard(deps: Pick<AppDeps, 'ds' | 'now'>, actor: Actor, userId: string, input: WorkerCardInput): Promise<{ workPhone: string | null }> {
  const now = deps.now()
  await withTx(deps.ds, async (em) => {
    const worker = await em.getRepository(User).findOneBy({ id: userId, role: 'grid_worker' })
    if (!worker || !isInScope(actor, { gridCode: worker.gridCode, communityCode: worker.communityCode, streetCode: worker.streetCode })) throw new NotFoundError('No such grid worker in your area.')
    const changed = await em.getRepository(StaffCard).update({ userId }, { workPhone: input.workPhone, updatedAt: now })
    if (!changed.affected) await em.getRepository(StaffCard).insert({ userId, workPhone: input.workPhone, photoUrl: null, updatedAt: now })
    await recordAudit(em, { action: 'grid_contact.worker_card', objectType: 'user', objectId: userId, detail: { workPhone: input.workPhone ? 'set' : 'cleared' } })
  })
  return { workPhone: input.workPhone }
}
