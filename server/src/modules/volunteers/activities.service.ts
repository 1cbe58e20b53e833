import { randomInt, randomUUID } from 'node:crypto'
import type { ActivityView, CreateActivityInput, SignupView, UpdateActivityInput } from '@palm/shared'
import { In, type EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import { isInScope, requireCommunityInScope } from '../auth/policy'
import { Department, Street } from '../territory/territory.entity'
import { notifyServiceUsers } from '../notifications/index'
import { loadTerritoryNames } from '../territory/index'
import { ActivitySignup, Volunteer, VolunteerActivity } from './volunteer.entity'
import { presentActivity, presentSignup } from './volunteers.presenter'
import { lockActivity, promoteWaiting } from './signups.service'

/** Who organises activities: community and street staff, the district, and the anti-fraud centre. */
export const ACTIVITY_ORGANISERS = ['community_staff', 'street_admin', 'district_admin', 'department_staff'] as const

function activityScope(a: Pick<VolunteerActivity, 'communityCode' | 'streetCode' | 'departmentCode'>) {
  return { communityCode: a.communityCode, streetCode: a.streetCode, departmentCode: a.departmentCode }
}

/** A fresh six-digit venue code. */
function newCheckinCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0')
}

async function placeActivity(em: EntityManager, actor: Actor, input: CreateActivityInput) {
  if (input.communityCode) {
    const community = await requireCommunityInScope(em, actor, input.communityCode)
    return { communityCode: community.code, streetCode: community.streetCode, departmentCode: null, organiser: community.name }
  }
  if (input.streetCode) {
    const street = await em.findOneBy(Street, { code: input.streetCode })
    if (!street || !isInScope(actor, { streetCode: street.code })) throw new NotFoundError('No such street in your area.')
    return { communityCode: null, streetCode: street.code, departmentCode: null, organiser: street.name }
  }
  if (actor.role === 'department_staff' && actor.scope.departmentCode) {
    const department = await em.findOneBy(Department, { code: actor.scope.departmentCode })
    return { communityCode: null, streetCode: null, departmentCode: actor.scope.departmentCode, organiser: department?.name ?? actor.displayName }
  }
  if (actor.role === 'district_admin') return { communityCode: null, streetCode: null, departmentCode: null, organiser: '平城区综治中心' }
  throw new ForbiddenError('District-wide activities are organised by the district or a department.')
}

/**
 * Creates an activity in the actor's area with a fresh venue code.
 * @throws ForbiddenError; NotFoundError for a community or street out of scope; BadRequestError for a start in the past
 */
export async function createActivity(em: EntityManager, deps: AppDeps, actor: Actor, input: CreateActivityInput): Promise<ActivityView> {
  if (!(ACTIVITY_ORGANISERS as readonly string[]).includes(actor.role)) throw new ForbiddenError('Activities are organised by staff.')
  const now = deps.now()
  if (Date.parse(input.startsAt) <= now.getTime()) {
    throw new BadRequestError('validation_failed', 'The activity must start in the future.', [{ path: 'startsAt', code: 'too_small', message: 'must be in the future' }])
  }
  const place = await placeActivity(em, actor, input)
  const activity = Object.assign(new VolunteerActivity(), {
    id: randomUUID(),
    title: input.title,
    description: input.description,
    kind: input.kind,
    place: input.place,
    lat: input.location?.lat ?? null,
    lng: input.location?.lng ?? null,
    ...place,
    startsAt: new Date(input.startsAt),
    endsAt: new Date(input.endsAt),
    signupDeadline: new Date(input.signupDeadline),
    capacity: input.capacity,
    signedUp: 0,
    waitlistSeq: 0,
    checkinCode: newCheckinCode(),
    cancelled: false,
    createdBy: actor.id,
    synthetic: false,
    createdAt: now,
    updatedAt: now
  })
  await em.insert(VolunteerActivity, activity)
  return getActivity(em, deps, actor, activity.id)
}

function mayManageActivity(actor: Actor, a: VolunteerActivity): boolean {
  if (!(ACTIVITY_ORGANISERS as readonly string[]).includes(actor.role)) return false
  if (!a.communityCode && !a.streetCode && !a.departmentCode) return actor.role === 'district_admin'
  return isInScope(actor, activityScope(a))
}

export async function requireActivity(em: EntityManager, id: string): Promise<VolunteerActivity> {
  const a = await em.findOneBy(VolunteerActivity, { id })
  if (!a) throw new NotFoundError('No such activity.')
  return a
}

async function requireManagedActivity(em: EntityManager, actor: Actor, id: string): Promise<VolunteerActivity> {
  if (!(ACTIVITY_ORGANISERS as readonly string[]).includes(actor.role)) throw new ForbiddenError('Activities are managed by staff.')
  const a = await em.findOneBy(VolunteerActivity, { id })
  if (!a || !mayManageActivity(actor, a)) throw new NotFoundError('No such activity in your area.')
  return a
}

async function waitlistPosition(em: EntityManager, s: ActivitySignup): Promise<number | undefined> {
  if (s.status !== 'waitlisted' || s.waitlistPosition === null) return undefined
  return em
    .getRepository(ActivitySignup)
    .createQueryBuilder('s')
    .where("s.activityId = :a AND s.status = 'waitlisted' AND s.waitlistPosition <= :p", { a: s.activityId, p: s.waitlistPosition })
    .getCount()
}

export async function presentSignupWithPosition(em: EntityManager, s: ActivitySignup): Promise<SignupView> {
  const position = await waitlistPosition(em, s)
  return presentSignup(s, position !== undefined ? { waitlistPosition: position } : {})
}

/** One activity; its venue code only for the staff who run it; the caller's own sign-up when signed in. */
export async function getActivity(em: EntityManager, deps: AppDeps, actor: Actor | undefined, id: string): Promise<ActivityView> {
  void deps
  const a = await requireActivity(em, id)
  const waitlisted = await em.countBy(ActivitySignup, { activityId: id, status: 'waitlisted' })
  const mine = actor ? await em.findOneBy(ActivitySignup, { activityId: id, userId: actor.id, activeActivityId: id }) : null
  const names = await loadTerritoryNames(em, { communityCodes: [a.communityCode] })
  return presentActivity(a, names, {
    waitlisted,
    showCode: actor !== undefined && mayManageActivity(actor, a),
    ...(actor ? { mySignup: mine ? await presentSignupWithPosition(em, mine) : null } : {})
  })
}

/** Activities, soonest first (upcoming by default), with the caller's sign-ups. */
export async function listActivities(
  em: EntityManager,
  deps: AppDeps,
  actor: Actor | undefined,
  query: { communityCode?: string; streetCode?: string; upcoming: boolean; limit: number }
): Promise<ActivityView[]> {
  const qb = em.getRepository(VolunteerActivity).createQueryBuilder('a')
  if (query.upcoming) qb.andWhere('a.endsAt > :now', { now: deps.now() })
  if (query.communityCode) qb.andWhere('(a.communityCode = :community OR a.communityCode IS NULL)', { community: query.communityCode })
  if (query.streetCode) qb.andWhere('(a.streetCode = :street OR a.streetCode IS NULL)', { street: query.streetCode })
  const activities = await qb.orderBy('a.startsAt', 'ASC').addOrderBy('a.id', 'ASC').take(query.limit).getMany()
  if (activities.length === 0) return []
  const ids = activities.map((a) => a.id)
  const waitRows = await em
    .getRepository(ActivitySignup)
    .createQueryBuilder('s')
    .select('s.activityId', 'activityId')
    .addSelect('COUNT(*)', 'n')
    .where("s.activityId IN (:...ids) AND s.status = 'waitlisted'", { ids })
    .groupBy('s.activityId')
    .getRawMany<{ activityId: string; n: string | number }>()
  const waitByActivity = new Map(waitRows.map((r) => [r.activityId, Number(r.n)]))
  const mine = actor ? await em.find(ActivitySignup, { where: { userId: actor.id, activeActivityId: In(ids) } }) : []
  const mineByActivity = new Map(mine.map((s) => [s.activityId, s]))
  const names = await loadTerritoryNames(em, { communityCodes: activities.map((a) => a.communityCode) })
  const views: ActivityView[] = []
  for (const a of activities) {
    const own = mineByActivity.get(a.id)
    views.push(
      presentActivity(a, names, {
        waitlisted: waitByActivity.get(a.id) ?? 0,
        showCode: actor !== undefined && mayManageActivity(actor, a),
        ...(actor ? { mySignup: own ? await presentSignupWithPosition(em, own) : null } : {})
      })
    )
  }
  return views
}

/**
 * Staff edit an activity in their scope. Raising the capacity promotes from the waiting list in
 * order; lowering it below the confirmed seats is refused; cancelling tells everyone signed up.
 * @throws NotFoundError out of scope; ConflictError `capacity_below_signups`
 */
export async function updateActivity(em: EntityManager, deps: AppDeps, actor: Actor, id: string, input: UpdateActivityInput): Promise<ActivityView> {
  await requireManagedActivity(em, actor, id)
  await lockActivity(em, id)
  const a = await requireActivity(em, id)
  const now = deps.now()
  const next = {
    title: input.title ?? a.title,
    description: input.description ?? a.description,
    kind: input.kind ?? a.kind,
    place: input.place ?? a.place,
    lat: input.location ? input.location.lat : a.lat,
    lng: input.location ? input.location.lng : a.lng,
    startsAt: input.startsAt ? new Date(input.startsAt) : a.startsAt,
    endsAt: input.endsAt ? new Date(input.endsAt) : a.endsAt,
    signupDeadline: input.signupDeadline ? new Date(input.signupDeadline) : a.signupDeadline,
    capacity: input.capacity ?? a.capacity,
    cancelled: input.cancelled ?? a.cancelled,
    updatedAt: now
  }
  if (next.startsAt.getTime() >= next.endsAt.getTime())
    throw new BadRequestError('validation_failed', 'The end must be after the start.', [{ path: 'endsAt', code: 'custom', message: 'after startsAt' }])
  if (next.signupDeadline.getTime() > next.startsAt.getTime()) {
    throw new BadRequestError('validation_failed', 'Sign-up must close by the start.', [{ path: 'signupDeadline', code: 'custom', message: 'not after startsAt' }])
  }
  if (next.capacity < a.signedUp) {
    throw new ConflictError('capacity_below_signups', `${a.signedUp} volunteers already hold seats; cancel sign-ups before lowering the capacity.`, { signedUp: a.signedUp })
  }
  await em.update(VolunteerActivity, { id }, next)
  const updated = Object.assign(a, next)
  if (next.capacity > a.signedUp && !next.cancelled) {
    const promoted = await promoteWaiting(em, deps, updated, next.capacity - a.signedUp, now)
    if (promoted > 0)
      await em
        .createQueryBuilder()
        .update(VolunteerActivity)
        .set({ signedUp: () => `signed_up + ${promoted}` })
        .where('id = :id', { id })
        .execute()
  }
  if (input.cancelled === true && !a.cancelled) await tellActivityCancelled(em, deps, updated)
  return getActivity(em, deps, actor, id)
}

async function tellActivityCancelled(em: EntityManager, deps: AppDeps, a: VolunteerActivity): Promise<void> {
  const live = await em.find(ActivitySignup, { where: { activityId: a.id, activeActivityId: a.id } })
  await notifyServiceUsers(
    em,
    deps,
    live.map((s) => ({ userId: s.userId, kind: 'activity_cancelled', title: '活动已取消', body: `${a.title}（${a.place}）已取消。` }))
  )
}

/** The sign-ups of an activity, for the staff who run it. */
export async function listSignups(em: EntityManager, actor: Actor, activityId: string): Promise<SignupView[]> {
  await requireManagedActivity(em, actor, activityId)
  const rows = await em.find(ActivitySignup, { where: { activityId }, order: { createdAt: 'ASC', id: 'ASC' } })
  const volunteers = rows.length ? await em.find(Volunteer, { where: { userId: In(rows.map((r) => r.userId)) } }) : []
  const byUser = new Map(volunteers.map((v) => [v.userId, v]))
  return rows.map((r) => presentSignup(r, { volunteer: { id: byUser.get(r.userId)?.id ?? '', name: byUser.get(r.userId)?.name ?? '' } }))
}
