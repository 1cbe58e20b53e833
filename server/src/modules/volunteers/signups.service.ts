import { randomUUID } from 'node:crypto'
import type { CreateSignupInput } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { ConflictError, NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import { isUniqueViolation } from '../../db/errors'
import { requireActivity } from './activities.service'
import { ActivitySignup, VolunteerActivity } from './volunteer.entity'
import { requireApprovedVolunteer } from './volunteers.service'
import { lockActivity, promoteWaiting } from './waitlist'

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

/** Turns a sign-up that found no seat into the next numbered place on the activity's waiting list. */
async function joinWaitlist(em: EntityManager, activityId: string, signup: ActivitySignup): Promise<ActivitySignup> {
  await em
    .createQueryBuilder()
    .update(VolunteerActivity)
    .set({ waitlistSeq: () => 'waitlist_seq + 1' })
    .where('id = :id', { id: activityId })
    .execute()
  const { waitlistSeq } = await em.findOneOrFail(VolunteerActivity, { where: { id: activityId }, select: { id: true, waitlistSeq: true } })
  await em.update(ActivitySignup, { id: signup.id }, { status: 'waitlisted', waitlistPosition: waitlistSeq })
  return Object.assign(signup, { status: 'waitlisted', waitlistPosition: waitlistSeq })
}

/**
 * Signs an approved volunteer up: before the deadline, once (unique live sign-up), and a seat only by
 * `signed_up = signed_up + 1 WHERE signed_up < capacity`. When full: 409 `activity_full`, or a
 * numbered place on the waiting list if the volunteer asked for one.
 * @throws ForbiddenError `volunteer_not_approved`; NotFoundError; ConflictError `activity_cancelled` | `signup_closed` | `already_signed_up` | `activity_full`
 */
export async function signUp(em: EntityManager, deps: AppDeps, actor: Actor, activityId: string, input: CreateSignupInput): Promise<ActivitySignup> {
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
  if (seat.affected === 1) return signup
  if (!input.joinWaitlist) throw activityFull()
  return joinWaitlist(em, activityId, signup)
}

/**
 * Withdraws the caller's live sign-up before the activity starts. A confirmed seat passes to the
 * first on the waiting list (who is told), or back to the pool.
 * @throws NotFoundError `not_signed_up`; ConflictError `signup_closed`
 */
export async function cancelSignup(em: EntityManager, deps: AppDeps, actor: Actor, activityId: string): Promise<ActivitySignup> {
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
  return Object.assign(signup, { status: 'cancelled', activeActivityId: null, waitlistPosition: null, cancelledAt: now })
}
