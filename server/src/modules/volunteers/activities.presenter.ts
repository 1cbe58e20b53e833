import type { ActivityKind, ActivityView, SignupStatus, SignupView } from '@palm/shared'
import { In, type EntityManager } from 'typeorm'
import type { Actor } from '../auth/actor'
import { loadTerritoryNames, type TerritoryNames } from '../territory/index'
import { ActivitySignup, Volunteer, type VolunteerActivity } from './volunteer.entity'
import { minutesToHours } from './volunteers.presenter'
import { mayManageActivity } from './volunteers.policy'
import { presentPoint } from '../../http/coords'

export function presentSignup(s: ActivitySignup, extra: { waitlistPosition?: number; volunteer?: { id: string; name: string } } = {}): SignupView {
  return {
    id: s.id,
    activityId: s.activityId,
    status: s.status as SignupStatus,
    ...(s.status === 'waitlisted' && extra.waitlistPosition !== undefined ? { waitlistPosition: extra.waitlistPosition } : {}),
    checkinAt: s.checkinAt ? s.checkinAt.toISOString() : null,
    checkoutAt: s.checkoutAt ? s.checkoutAt.toISOString() : null,
    hours: minutesToHours(s.serviceMinutes),
    ...(extra.volunteer ? { volunteer: extra.volunteer } : {}),
    createdAt: s.createdAt.toISOString()
  }
}

/** A waiting sign-up's place in the queue (1 = next to be promoted); undefined for any other sign-up. */
async function waitlistPosition(em: EntityManager, s: ActivitySignup): Promise<number | undefined> {
  if (s.status !== 'waitlisted' || s.waitlistPosition === null) return undefined
  return em
    .getRepository(ActivitySignup)
    .createQueryBuilder('s')
    .where("s.activityId = :a AND s.status = 'waitlisted' AND s.waitlistPosition <= :p", { a: s.activityId, p: s.waitlistPosition })
    .getCount()
}

/** The view of one of the caller's sign-ups, with their place on the waiting list when they wait. */
export async function presentOneSignup(em: EntityManager, s: ActivitySignup): Promise<SignupView> {
  const position = await waitlistPosition(em, s)
  return presentSignup(s, position !== undefined ? { waitlistPosition: position } : {})
}

/** An activity's sign-ups for the staff who run it, each with the volunteer's name. */
export async function presentActivitySignups(em: EntityManager, rows: readonly ActivitySignup[]): Promise<SignupView[]> {
  const volunteers = rows.length ? await em.find(Volunteer, { where: { userId: In(rows.map((r) => r.userId)) } }) : []
  const byUser = new Map(volunteers.map((v) => [v.userId, v]))
  return rows.map((r) => presentSignup(r, { volunteer: { id: byUser.get(r.userId)?.id ?? '', name: byUser.get(r.userId)?.name ?? '' } }))
}

export function presentActivity(a: VolunteerActivity, names: TerritoryNames, extra: { waitlisted: number; showCode: boolean; mySignup?: SignupView | null }): ActivityView {
  return {
    id: a.id,
    title: a.title,
    description: a.description,
    kind: a.kind as ActivityKind,
    place: a.place,
    location: a.lat !== null && a.lng !== null ? presentPoint(a.lat, a.lng) : null,
    community: names.community(a.communityCode),
    streetCode: a.streetCode,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    signupDeadline: a.signupDeadline.toISOString(),
    capacity: a.capacity,
    signedUp: a.signedUp,
    remaining: Math.max(0, a.capacity - a.signedUp),
    waitlisted: extra.waitlisted,
    cancelled: a.cancelled,
    ...(extra.showCode ? { checkinCode: a.checkinCode } : {}),
    ...(extra.mySignup !== undefined ? { mySignup: extra.mySignup } : {})
  }
}

/** How many wait for each activity of a page (one grouped read). */
async function countWaiting(em: EntityManager, ids: string[]): Promise<Map<string, number>> {
  const rows = await em
    .getRepository(ActivitySignup)
    .createQueryBuilder('s')
    .select('s.activityId', 'activityId')
    .addSelect('COUNT(*)', 'n')
    .where("s.activityId IN (:...ids) AND s.status = 'waitlisted'", { ids })
    .groupBy('s.activityId')
    .getRawMany<{ activityId: string; n: string | number }>()
  return new Map(rows.map((r) => [r.activityId, Number(r.n)]))
}

/**
 * Views of a page of activities as the caller sees them: the venue code only for the staff who run
 * an activity, and the caller's own sign-up (null when none) when signed in.
 */
export async function presentActivities(em: EntityManager, actor: Actor | undefined, activities: readonly VolunteerActivity[]): Promise<ActivityView[]> {
  if (activities.length === 0) return []
  const ids = activities.map((a) => a.id)
  const waitByActivity = await countWaiting(em, ids)
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
        ...(actor ? { mySignup: own ? await presentOneSignup(em, own) : null } : {})
      })
    )
  }
  return views
}

/** The view of one activity as the caller sees it (as presentActivities). */
export async function presentActivityDetail(em: EntityManager, actor: Actor | undefined, a: VolunteerActivity): Promise<ActivityView> {
  const waitlisted = await em.countBy(ActivitySignup, { activityId: a.id, status: 'waitlisted' })
  const mine = actor ? await em.findOneBy(ActivitySignup, { activityId: a.id, userId: actor.id, activeActivityId: a.id }) : null
  const names = await loadTerritoryNames(em, { communityCodes: [a.communityCode] })
  return presentActivity(a, names, {
    waitlisted,
    showCode: actor !== undefined && mayManageActivity(actor, a),
    ...(actor ? { mySignup: mine ? await presentOneSignup(em, mine) : null } : {})
  })
}
