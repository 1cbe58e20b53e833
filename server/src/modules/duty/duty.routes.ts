import Router from '@koa/router'
import { CreateLeaveSchema, DutyBoardQuerySchema, PutRosterSchema, SUPERVISOR_ROLES, SetDutySchema } from '@palm/shared'
import type { AppDeps } from '../../deps'
import { requireRole } from '../../http/auth'
import { parseBody, parseQuery } from '../../http/validate'
import { addLeave, deleteLeave, dutyBoard, getMyDuty, getRoster, putRoster, setMyDuty } from './duty.service'

/** Who edits rosters and sees the duty board: community staff, and the street and district admins above them. */
export const ROSTER_EDITORS = SUPERVISOR_ROLES

/**
 * Duty (在岗, docs/accounts-and-duty.md): a grid worker's own switch under /api/me/duty; rosters,
 * leaves and the on-duty board under /api/admin. Role first (403), then body (400), then scope (404).
 */
export function createDutyRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api' })

  router.get('/me/duty', async function getMyDutyRoute(ctx) {
    ctx.body = await getMyDuty(deps, requireRole(ctx, ['grid_worker']))
  })

  router.put('/me/duty', async function setMyDutyRoute(ctx) {
    const actor = requireRole(ctx, ['grid_worker'])
    const { onDuty } = parseBody(ctx, SetDutySchema)
    ctx.body = await setMyDuty(deps, actor, onDuty)
  })

  router.get('/admin/rosters/:gridCode', async function getRosterRoute(ctx) {
    const actor = requireRole(ctx, ROSTER_EDITORS)
    ctx.body = await getRoster(deps, actor, ctx.params.gridCode ?? '')
  })

  router.put('/admin/rosters/:gridCode', async function putRosterRoute(ctx) {
    const actor = requireRole(ctx, ROSTER_EDITORS)
    ctx.body = await putRoster(deps, actor, ctx.params.gridCode ?? '', parseBody(ctx, PutRosterSchema))
  })

  router.post('/admin/rosters/:gridCode/leaves', async function addLeaveRoute(ctx) {
    const actor = requireRole(ctx, ROSTER_EDITORS)
    const view = await addLeave(deps, actor, ctx.params.gridCode ?? '', parseBody(ctx, CreateLeaveSchema))
    ctx.status = 201
    ctx.body = view
  })

  router.delete('/admin/rosters/:gridCode/leaves/:id', async function deleteLeaveRoute(ctx) {
    const actor = requireRole(ctx, ROSTER_EDITORS)
    ctx.body = await deleteLeave(deps, actor, ctx.params.gridCode ?? '', ctx.params.id ?? '')
  })

  router.get('/admin/duty', async function dutyBoardRoute(ctx) {
    const actor = requireRole(ctx, ROSTER_EDITORS)
    const { communityCode } = parseQuery(ctx, DutyBoardQuerySchema)
    ctx.body = await dutyBoard(deps, actor, communityCode)
  })

  return router
}
