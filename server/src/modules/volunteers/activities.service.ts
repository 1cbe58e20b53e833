import { randomInt, randomUUID } from 'node:crypto'
import type { CreateActivityInput, UpdateActivityInput } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import { requireCommunityInScope } from '../auth/policy'
import { Department, Street } from '../territory/territory.entity'
import { notifyServiceUsers } from '../notifications/index'
import { ActivitySignup, VolunteerActivity } from './volunteer.entity'
import { assertActivityOrganiser, mayManageActivity, mayOrganiseAt } from './volunteers.policy'
import { lockActivity, promoteWaiting } from './waitlist'

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
    if (!street || !mayOrganiseAt(actor, { streetCode: street.code })) throw new NotFoundError('No such street in your area.')
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
export async function createActivity(em: EntityManager, deps: AppDeps, actor: Actor, input: CreateActivityInput): Promise<VolunteerActivity> {
  assertActivityOrganiser(actor, 'Activities are organised by staff.')
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
  return requireActivity(em, activity.id)
}

/** One activity (anyone may read it; the view decides what a caller sees of it). @throws NotFoundError */
export async function requireActivity(em: EntityManager, id: string): Promise<VolunteerActivity> {
  const a = await em.findOneBy(VolunteerActivity, { id })
  if (!a) throw new NotFoundError('No such activity.')
  return a
}

async function requireManagedActivity(em: EntityManager, actor: Actor, id: string): Promise<VolunteerActivity> {
  assertActivityOrganiser(actor, 'Activities are managed by staff.')
  const a = await em.findOneBy(VolunteerActivity, { id })
  if (!a || !mayManageActivity(actor, a)) throw new NotFoundError('No such activity in your area.')
  return a
}

/** Activities, soonest first (upcoming by default). */
export async function listActivities(em: EntityManager, now: Date, query: { communityCode?: string; streetCode?: string; upcoming: boolean; limit: number }): Promise<VolunteerActivity[]> {
  const qb = em.getRepository(VolunteerActivity).createQueryBuilder('a')
  if (query.upcoming) qb.andWhere('a.endsAt > :now', { now })
  if (query.communityCode) qb.andWhere('(a.communityCode = :community OR a.communityCode IS NULL)', { community: query.communityCode })
  if (query.streetCode) qb.andWhere('(a.streetCode = :street OR a.streetCode IS NULL)', { street: query.streetCode })
  return qb.orderBy('a.startsAt', 'ASC').addOrderBy('a.id', 'ASC').take(query.limit).getMany()
}

/**
 * The times of an edited activity, checked as a whole (the schema checks a full create; an edit may
 * change one of them): the end after the start, sign-up closing by the start.
 * @throws BadRequestError `validation_failed`
 */
function assertActivityTimes(next: { startsAt: Date; endsAt: Date; signupDeadline: Date }): void {
  if (next.startsAt.getTime() >= next.endsAt.getTime())
    throw new BadRequestError('validation_failed', 'The end must be after the start.', [{ path: 'endsAt', code: 'custom', message: 'after startsAt' }])
  if (next.signupDeadline.getTime() > next.startsAt.getTime()) {
    throw new BadRequestError('validation_failed', 'Sign-up must close by the start.', [{ path: 'signupDeadline', code: 'custom', message: 'not after startsAt' }])
  }
}

/**
 * Staff edit an activity in their scope. Raising the capacity promotes from the waiting list in
 * order; lowering it below the confirmed seats is refused; cancelling tells everyone signed up.
 * @throws NotFoundError out of scope; ConflictError `capacity_below_signups`
 */
export async function updateActivity(em: EntityManager, deps: AppDeps, actor: Actor, id: string, input: UpdateActivityInput): Promise<VolunteerActivity> {
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
  assertActivityTimes(next)
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
  return requireActivity(em, id)
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
export async function listSignups(em: EntityManager, actor: Actor, activityId: string): Promise<ActivitySignup[]> {
  await requireManagedActivity(em, actor, activityId)
  return em.find(ActivitySignup, { where: { activityId }, order: { createdAt: 'ASC', id: 'ASC' } })
}
