import { randomUUID } from 'node:crypto'
import type { CreateSignupInput, SignupView } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { isSqlite } from '../../db/tx'
import type { AppDeps } from '../../deps'
import { ConflictError, NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import { isUniqueViolation } from '../../db/errors'
import { notifyServiceUsers, type ServiceNoticeInput } from '../notifications/index'
import { presentSignupWithPosition, requireActivity } from './activities.service'
import { ActivitySignup, VolunteerActivity } from './volunteer.entity'
import { presentSignup } from './volunteers.presenter'
import { requireApprovedVolunteer } from './volunteers.service'

/**
 * Locks the activity row for the rest of the transaction (a no-op UPDATE), so sign-ups, cancellations
 * and promotions of one activity take turns on MariaDB; SQLite runs one write transaction at a time.
 */
export async function lockActivity(em: EntityManager, id: string): Promise<void> {
  await em
    .createQueryBuilder()
    .update(VolunteerActivity)
    .set({ waitlistSeq: () => 'waitlist_seq' })
    .where('id = :id', { id })
    .execute()
}

/** The first waiting sign-up, read with FOR UPDATE on MariaDB so two promotions never pick the same one. */
async function firstWaiting(em: EntityManager, deps: AppDeps, activityId: string): Promise<ActivitySignup | null> {
  const qb = em.getRepository(ActivitySignup).createQueryBuilder('s').where("s.activityId = :a AND s.status = 'waitlisted'", { a: activityId }).orderBy('s.waitlistPosition', 'ASC').take(1)
  if (!isSqlite(deps.ds)) qb.setLock('pessimistic_write')
  return qb.getOne()
}

/**
 * Fills free seats from the waiting list, in the order people joined it; each promoted volunteer
 * is told. A seat freed with nobody waiting goes back to the pool (`signed_up - 1`).
 */
export async function promoteWaiting(em: EntityManager, deps: AppDeps, activity: VolunteerActivity, freedSeats: number, now: Date): Promise<number> {
  const notices: ServiceNoticeInput[] = []
  let promoted = 0
  for (let i = 0; i < freedSeats; i++) {
    const next = await firstWaiting(em, deps, activity.id)
    if (!next) break
    const moved = await em
      .createQueryBuilder()
      .update(ActivitySignup)
      .set({ status: 'confirmed', waitlistPosition: null, promotedAt: now })
      .where("id = :id AND status = 'waitlisted'", { id: next.id })
      .execute()
    if (moved.affected !== 1) break
    promoted++
    notices.push({
      userId: next.userId,
      kind: 'signup_promoted',
      title: '候补成功',
      body: `您已从候补转为正式报名：${activity.title}（${activity.place}）。`
    })
  }
  await notifyServiceUsers(em, deps, notices)
  return promoted
}

const activityFull = () => new ConflictError('activity_full', 'This activity is full.', { waitlist: true })
const alreadySignedUp = () => new ConflictError('already_signed_up', 'You have already signed up for this activity.')

/**
 * The fast refusal of a full activity (issue 12.4), for a volunteer who did not ask for the waiting
 * list: the activity as just read (plain, non-locking) has no seat left, so the request is answered
 * before it writes anything or queues for the activity's row lock. Same answers as the locking
 * path: 409 `already_signed_up` to someone already in it (a unique-index read), else 409
 * `activity_full`. The seat UPDATE stays the only judge of a free seat (docs/performance.md
 * "Contention").
 * @throws ConflictError `already_signed_up` | `activity_full`
 */
async function refuseWhenFull(em: EntityManager, actor: Actor, activity: VolunteerActivity): Promise<void> {
  if (activity.signedUp < activity.capacity) return
  if (await em.existsBy(ActivitySignup, { userId: actor.id, activeActivityId: activity.id })) throw alreadySignedUp()
  throw activityFull()
}

/**
 * Signs an approved volunteer up: before the deadline, once (unique live sign-up), and a seat only by
 * `signed_up = signed_up + 1 WHERE signed_up < capacity`. When full: 409 `activity_full`, or a
 * numbered place on the waiting list if the volunteer asked for one.
 * @throws ForbiddenError `volunteer_not_approved`; NotFoundError; ConflictError `activity_cancelled` | `signup_closed` | `already_signed_up` | `activity_full`
 */
export async function signUp(em: EntityManager, deps: AppDeps, actor: Actor, activityId: string, input: CreateSignupInput): Promise<SignupView> {
  await requireApprovedVolunteer(em, actor)
  const activity = await requireActivity(em, activityId)
  const now = deps.now()
  if (activity.cancelled) throw new ConflictError('activity_cancelled', 'This activity has been cancelled.')
  if (now.getTime() > activity.signupDeadline.getTime()) throw new ConflictError('signup_closed', 'Sign-up for this activity has closed.')
  if (!input.joinWaitlist) await refuseWhenFull(em, actor, activity)
  const signup: ActivitySignup = Object.assign(new ActivitySignup(), {
    id: randomUUID(),
    activityId,
    activeActivityId: activityId,
    userId: actor.id,
    status: 'confirmed',
    waitlistPosition: null,
    checkinAt: null,
    checkoutAt: null,
    serviceMinutes: 0,
    promotedAt: null,
    createdAt: now,
    cancelledAt: null
  })
  try {
    await em.insert(ActivitySignup, signup)
  } catch (err) {
    if (isUniqueViolation(err)) throw alreadySignedUp()
    throw err
  }
  const seat = await em
    .createQueryBuilder()
    .update(VolunteerActivity)
    .set({ signedUp: () => 'signed_up + 1' })
    .where('id = :id AND signed_up < capacity', { id: activityId })
    .execute()
  if (seat.affected === 1) return presentSignup(signup)
  if (!input.joinWaitlist) throw activityFull()
  await em
    .createQueryBuilder()
    .update(VolunteerActivity)
    .set({ waitlistSeq: () => 'waitlist_seq + 1' })
    .where('id = :id', { id: activityId })
    .execute()
  const { waitlistSeq } = await em.findOneOrFail(VolunteerActivity, { where: { id: activityId }, select: { id: true, waitlistSeq: true } })
  await em.update(ActivitySignup, { id: signup.id }, { status: 'waitlisted', waitlistPosition: waitlistSeq })
  Object.assign(signup, { status: 'waitlisted', waitlistPosition: waitlistSeq })
  return presentSignupWithPosition(em, signup)
}

/**
 * Withdraws the caller's live sign-up before the activity starts. A confirmed seat passes to the
 * first on the waiting list (who is told), or back to the pool.
 * @throws NotFoundError `not_signed_up`; ConflictError `signup_closed`
 */
export async function cancelSignup(em: EntityManager, deps: AppDeps, actor: Actor, activityId: string): Promise<SignupView> {
  const activity = await requireActivity(em, activityId)
  const now = deps.now()
  if (now.getTime() >= activity.startsAt.getTime()) throw new ConflictError('signup_closed', 'The activity has started; ask the organiser instead.')
  await lockActivity(em, activityId)
  const signup = await em.findOneBy(ActivitySignup, { activityId, userId: actor.id, activeActivityId: activityId })
  if (!signup) throw new NotFoundError('You have not signed up for this activity.', 'not_signed_up')
  const result = await em
    .createQueryBuilder()
    .update(ActivitySignup)
    .set({ status: 'cancelled', activeActivityId: null, waitlistPosition: null, cancelledAt: now })
    .where("id = :id AND status IN ('confirmed', 'waitlisted')", { id: signup.id })
    .execute()
  if (result.affected !== 1) throw new NotFoundError('You have not signed up for this activity.', 'not_signed_up')
  if (signup.status === 'confirmed') {
    const promoted = await promoteWaiting(em, deps, activity, 1, now)
    if (promoted === 0) {
      await em
        .createQueryBuilder()
        .update(VolunteerActivity)
        .set({ signedUp: () => 'signed_up - 1' })
        .where('id = :id AND signed_up > 0', { id: activityId })
        .execute()
    }
  }
  return presentSignup({ ...signup, status: 'cancelled', activeActivityId: null, waitlistPosition: null, cancelledAt: now })
}
