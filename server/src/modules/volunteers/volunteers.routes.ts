import Router from '@koa/router'
import { consumeLimit, limitHit } from '../limits/index'
import type { Context } from 'koa'
import {
  ActivityQuerySchema,
  AlertQuerySchema,
  CheckinSchema,
  CreateActivitySchema,
  CreateAlertSchema,
  CreateAwardSchema,
  CreateSignupSchema,
  LeaderboardQuerySchema,
  RegisterVolunteerSchema,
  RejectVolunteerSchema,
  UpdateActivitySchema,
  VolunteerQuerySchema
} from '@palm/shared'
import { auditStaffRead, withAuditedTx } from '../audit/index'
import type { AppDeps } from '../../deps'
import { requireActor, requireRole } from '../../http/auth'
import { parseBody, parseQuery } from '../../http/validate'
import type { Actor } from '../auth/actor'
import { respondIdempotently } from '../idempotency/index'
import { presentActivities, presentActivityDetail, presentActivitySignups, presentOneSignup } from './activities.presenter'
import { createActivity, listActivities, listSignups, requireActivity, updateActivity } from './activities.service'
import { checkIn, checkOut } from './attendance.service'
import { cancelSignup, signUp } from './signups.service'
import { listAlerts, publishAlert } from './alerts.service'
import { addAward, approveVolunteer, getLeaderboard, getMyRecord, findMyVolunteer, listVolunteers, registerVolunteer, rejectVolunteer } from './volunteers.service'
import { ACTIVITY_ORGANISERS, ALERT_PUBLISHERS, CITIZEN_ROLES_FOR_ALLIANCE, VOLUNTEER_APPROVERS } from './volunteers.policy'
import { presentAlert, presentAward, presentLeaderboard, presentOneVolunteer, presentRecord, presentVolunteers } from './volunteers.presenter'

const optionalActor = (ctx: Context) => ctx.state.actor as Actor | undefined

/**
 * The 平城反诈 alliance (api.md "Services"): registration and approval, activities with sign-ups,
 * check-in and check-out, service records, the monthly leaderboard, and the anti-fraud alerts feed.
 */
export function createVolunteersRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api' })
  const { ds } = deps

  router.post('/volunteers', async function registerVolunteerRoute(ctx) {
    const actor = requireRole(ctx, CITIZEN_ROLES_FOR_ALLIANCE)
    const input = parseBody(ctx, RegisterVolunteerSchema)
    ctx.status = 201
    ctx.body = await withAuditedTx(ctx, ds, 'volunteer', async (em) => presentOneVolunteer(em, await registerVolunteer(em, deps, actor, input)))
  })
  router.get('/volunteers', async function listVolunteersRoute(ctx) {
    const actor = requireRole(ctx, VOLUNTEER_APPROVERS)
    const items = await presentVolunteers(ds.manager, await listVolunteers(ds.manager, actor, parseQuery(ctx, VolunteerQuerySchema)))
    await auditStaffRead(ctx, ds, 'service.view_personal', 'volunteer', { rows: items.length })
    ctx.body = { items }
  })
  router.get('/volunteers/me', async function showMyMembershipRoute(ctx) {
    // Not registered is 204, not 404: the alliance page asks on every visit, and a 404 would be a
    // failed request in the browser's console (docs/accessibility.md, clean console).
    const mine = await findMyVolunteer(ds.manager, requireActor(ctx))
    if (mine) ctx.body = await presentOneVolunteer(ds.manager, mine)
    else ctx.status = 204
  })
  router.get('/volunteers/me/record', async function showMyRecordRoute(ctx) {
    ctx.body = await presentRecord(ds.manager, await getMyRecord(ds.manager, requireActor(ctx)), deps.now())
  })
  router.get('/volunteers/leaderboard', async function showLeaderboardRoute(ctx) {
    const board = await getLeaderboard(ds.manager, deps, parseQuery(ctx, LeaderboardQuerySchema))
    ctx.body = await presentLeaderboard(ds.manager, optionalActor(ctx), board)
  })
  router.post('/volunteers/:id/approve', async function approveApplicantRoute(ctx) {
    const actor = requireRole(ctx, VOLUNTEER_APPROVERS)
    ctx.body = await withAuditedTx(ctx, ds, 'volunteer', async (em) => presentOneVolunteer(em, await approveVolunteer(em, deps, actor, ctx.params.id ?? '')))
  })
  router.post('/volunteers/:id/reject', async function rejectApplicantRoute(ctx) {
    const actor = requireRole(ctx, VOLUNTEER_APPROVERS)
    const { reason } = parseBody(ctx, RejectVolunteerSchema)
    ctx.body = await withAuditedTx(ctx, ds, 'volunteer', async (em) => presentOneVolunteer(em, await rejectVolunteer(em, deps, actor, ctx.params.id ?? '', reason)))
  })
  router.post('/volunteers/:id/awards', async function addVolunteerAwardRoute(ctx) {
    const actor = requireRole(ctx, VOLUNTEER_APPROVERS)
    const input = parseBody(ctx, CreateAwardSchema)
    ctx.status = 201
    ctx.body = await withAuditedTx(ctx, ds, 'volunteer', async (em) => presentAward(await addAward(em, deps, actor, ctx.params.id ?? '', input)))
  })

  router.get('/activities', async function listActivitiesRoute(ctx) {
    const activities = await listActivities(ds.manager, deps.now(), parseQuery(ctx, ActivityQuerySchema))
    ctx.body = { items: await presentActivities(ds.manager, optionalActor(ctx), activities) }
  })
  router.post('/activities', async function createActivityRoute(ctx) {
    const actor = requireRole(ctx, ACTIVITY_ORGANISERS)
    const input = parseBody(ctx, CreateActivitySchema)
    ctx.status = 201
    ctx.body = await withAuditedTx(ctx, ds, 'volunteer_activity', async (em) => presentActivityDetail(em, actor, await createActivity(em, deps, actor, input)))
  })
  router.get('/activities/:id', async function showActivityRoute(ctx) {
    const activity = await requireActivity(ds.manager, ctx.params.id ?? '')
    ctx.body = await presentActivityDetail(ds.manager, optionalActor(ctx), activity)
  })
  router.patch('/activities/:id', async function editActivityRoute(ctx) {
    const actor = requireRole(ctx, ACTIVITY_ORGANISERS)
    const input = parseBody(ctx, UpdateActivitySchema)
    ctx.body = await withAuditedTx(ctx, ds, 'volunteer_activity', async (em) => presentActivityDetail(em, actor, await updateActivity(em, deps, actor, ctx.params.id ?? '', input)))
  })
  router.get('/activities/:id/signups', async function listSignupsRoute(ctx) {
    const actor = requireRole(ctx, ACTIVITY_ORGANISERS)
    const items = await presentActivitySignups(ds.manager, await listSignups(ds.manager, actor, ctx.params.id ?? ''))
    await auditStaffRead(ctx, ds, 'service.view_personal', 'volunteer_activity', { rows: items.length })
    ctx.body = { items }
  })
  router.post('/activities/:id/signups', async function signUpRoute(ctx) {
    const actor = requireRole(ctx, CITIZEN_ROLES_FOR_ALLIANCE)
    const input = parseBody(ctx, CreateSignupSchema)
    const activityId = ctx.params.id ?? ''
    await respondIdempotently(ctx, deps, actor, `POST /api/activities/${activityId}/signups`, async (em) => {
      const body = await presentOneSignup(em, await signUp(em, deps, actor, activityId, input))
      await consumeLimit(em, limitHit(ds, deps.config, 'signup', actor.id, deps.now())) // only a sign-up made counts
      return { status: 201, body }
    })
  })
  router.post('/activities/:id/signups/cancel', async function cancelSignupRoute(ctx) {
    const actor = requireRole(ctx, CITIZEN_ROLES_FOR_ALLIANCE)
    ctx.body = await withAuditedTx(ctx, ds, 'volunteer_activity', async (em) => presentOneSignup(em, await cancelSignup(em, deps, actor, ctx.params.id ?? '')))
  })
  router.post('/activities/:id/checkin', async function checkInRoute(ctx) {
    const actor = requireRole(ctx, CITIZEN_ROLES_FOR_ALLIANCE)
    const input = parseBody(ctx, CheckinSchema)
    ctx.body = await withAuditedTx(ctx, ds, 'volunteer_activity', async (em) => presentOneSignup(em, await checkIn(em, deps, actor, ctx.params.id ?? '', input)))
  })
  router.post('/activities/:id/checkout', async function checkOutRoute(ctx) {
    const actor = requireRole(ctx, CITIZEN_ROLES_FOR_ALLIANCE)
    const input = parseBody(ctx, CheckinSchema)
    ctx.body = await withAuditedTx(ctx, ds, 'volunteer_activity', async (em) => presentOneSignup(em, await checkOut(em, deps, actor, ctx.params.id ?? '', input)))
  })

  router.get('/anti-fraud/alerts', async function listAlertsRoute(ctx) {
    const page = await listAlerts(ds.manager, parseQuery(ctx, AlertQuerySchema))
    ctx.body = { items: page.items.map(presentAlert), nextCursor: page.nextCursor }
  })
  router.post('/anti-fraud/alerts', async function publishAlertRoute(ctx) {
    const actor = requireRole(ctx, ALERT_PUBLISHERS)
    const input = parseBody(ctx, CreateAlertSchema)
    ctx.status = 201
    ctx.body = await withAuditedTx(ctx, ds, 'anti_fraud_alert', async (em) => presentAlert(await publishAlert(em, deps, actor, input)))
  })
  return router
}
