import { timingSafeEqual } from 'node:crypto'
import { VolunteerLimits, type CheckinInput } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { BadRequestError, ConflictError } from '../../errors'
import type { Actor } from '../auth/actor'
import { requireActivity } from './activities.service'
import { ActivitySignup } from './volunteer.entity'

const MINUTE = 60_000

function codesMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The venue code and the caller's confirmed seat, checked before a check-in or check-out. */
async function requireConfirmedSeat(em: EntityManager, actor: Actor, activityId: string, code: string) {
  const activity = await requireActivity(em, activityId)
  const signup = await em.findOneBy(ActivitySignup, { activityId, userId: actor.id, activeActivityId: activityId })
  if (!signup || signup.status !== 'confirmed') throw new ConflictError('not_signed_up', 'You hold no confirmed seat in this activity.')
  if (!codesMatch(code, activity.checkinCode)) {
    throw new BadRequestError('invalid_checkin_code', 'The code is not this activity’s.', [{ path: 'code', code: 'invalid', message: 'wrong code' }])
  }
  return { activity, signup }
}

/**
 * Checks in at the venue with its code, from 30 minutes before the start until the end.
 * @throws BadRequestError `invalid_checkin_code`; ConflictError `not_signed_up` | `checkin_window_closed` | `already_checked_in`
 */
export async function checkIn(em: EntityManager, deps: AppDeps, actor: Actor, activityId: string, input: CheckinInput): Promise<ActivitySignup> {
  const { activity, signup } = await requireConfirmedSeat(em, actor, activityId, input.code)
  const now = deps.now()
  const opens = activity.startsAt.getTime() - VolunteerLimits.checkinEarlyMinutes * MINUTE
  if (now.getTime() < opens || now.getTime() > activity.endsAt.getTime()) {
    throw new ConflictError('checkin_window_closed', `Check-in is open from ${VolunteerLimits.checkinEarlyMinutes} minutes before the start until the end.`)
  }
  const result = await em.createQueryBuilder().update(ActivitySignup).set({ checkinAt: now }).where("id = :id AND status = 'confirmed' AND checkin_at IS NULL", { id: signup.id }).execute()
  if (result.affected !== 1) throw new ConflictError('already_checked_in', 'You have already checked in.')
  return Object.assign(signup, { checkinAt: now })
}

/**
 * Checks out with the venue code, from the start until 30 minutes after the end, and credits the
 * service time: the part of [check-in, check-out] that lies within the activity, in whole minutes.
 * A check-out before the start is refused rather than closing the seat with nothing credited.
 * @throws BadRequestError `invalid_checkin_code`; ConflictError `not_checked_in` | `checkout_too_early` | `checkin_window_closed`
 */
export async function checkOut(em: EntityManager, deps: AppDeps, actor: Actor, activityId: string, input: CheckinInput): Promise<ActivitySignup> {
  const { activity, signup } = await requireConfirmedSeat(em, actor, activityId, input.code)
  const now = deps.now()
  if (!signup.checkinAt) throw new ConflictError('not_checked_in', 'Check in first.')
  if (now.getTime() < activity.startsAt.getTime()) {
    throw new ConflictError('checkout_too_early', 'Check-out opens when the activity starts; the time credited is the time present.')
  }
  if (now.getTime() > activity.endsAt.getTime() + VolunteerLimits.checkoutLateMinutes * MINUTE) {
    throw new ConflictError('checkin_window_closed', `Check-out closes ${VolunteerLimits.checkoutLateMinutes} minutes after the end.`)
  }
  const start = Math.max(signup.checkinAt.getTime(), activity.startsAt.getTime())
  const end = Math.min(now.getTime(), activity.endsAt.getTime())
  const minutes = Math.max(0, Math.floor((end - start) / MINUTE))
  const result = await em
    .createQueryBuilder()
    .update(ActivitySignup)
    .set({ checkoutAt: now, serviceMinutes: minutes })
    .where('id = :id AND checkin_at IS NOT NULL AND checkout_at IS NULL', { id: signup.id })
    .execute()
  if (result.affected !== 1) throw new ConflictError('already_checked_in', 'You have already checked out.')
  return Object.assign(signup, { checkoutAt: now, serviceMinutes: minutes })
}
