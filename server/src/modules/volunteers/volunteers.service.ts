import { randomBytes, randomUUID } from 'node:crypto'
import {
  chinaClock,
  chinaMonthRange,
  maskLeaderboardName,
  maskVolunteerPhone,
  VolunteerLimits,
  type ActivityKind,
  type CreateAwardInput,
  type LeaderboardView,
  type RegisterVolunteerInput,
  type VolunteerRecordView,
  type VolunteerStatus,
  type VolunteerView
} from '@palm/shared'
import { In, type EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { ConflictError, ForbiddenError, InvalidTransitionError, NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import { isInScope, scopeCondition } from '../auth/policy'
import { User } from '../auth/user.entity'
import { Community } from '../territory/territory.entity'
import { isUniqueViolation } from '../../db/errors'
import { notifyServiceUsers } from '../notifications/index'
import { loadTerritoryNames } from '../territory/index'
import { ActivitySignup, Volunteer, VolunteerActivity, VolunteerAward } from './volunteer.entity'
import { minutesToHours, parseSkills, presentVolunteer } from './volunteers.presenter'

/** Residents join the alliance; a demo "volunteer" persona without a row may register too. */
export const CITIZEN_ROLES_FOR_ALLIANCE = ['resident', 'volunteer'] as const
/** Who approves members (each for the communities in their scope). */
export const VOLUNTEER_APPROVERS = ['community_staff', 'street_admin', 'district_admin'] as const

/** The alliance's name on certificates and records. */
export const ALLIANCE_NAME = '平城反诈志愿者联盟'

function volunteerNumber(now: Date): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'
  return `PCFZ-${chinaClock(now).monthKey.replace('-', '')}-${[...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join('')}`
}

async function presentOne(em: EntityManager, v: Volunteer): Promise<VolunteerView> {
  return presentVolunteer(v, await loadTerritoryNames(em, { communityCodes: [v.communityCode] }))
}

/**
 * Registers the caller as an applicant (status pending) for the community they chose. One row per
 * user (unique index): a second registration is 409, except after a rejection, when it re-applies.
 * @throws NotFoundError unknown community; ConflictError `already_registered`
 */
export async function registerVolunteer(em: EntityManager, deps: AppDeps, actor: Actor, input: RegisterVolunteerInput): Promise<VolunteerView> {
  const community = await em.findOneBy(Community, { code: input.communityCode })
  if (!community) throw new NotFoundError('No such community.')
  const now = deps.now()
  const fields = { name: input.name, phone: input.phone, communityCode: community.code, streetCode: community.streetCode, skills: JSON.stringify(input.skills) }
  const reapplied = await em
    .createQueryBuilder()
    .update(Volunteer)
    .set({ ...fields, status: 'pending', rejectionReason: null, decidedBy: null, updatedAt: now })
    .where("user_id = :user AND status = 'rejected'", { user: actor.id })
    .execute()
  if (reapplied.affected === 1) return presentOne(em, await em.findOneByOrFail(Volunteer, { userId: actor.id }))
  const volunteer = Object.assign(new Volunteer(), {
    id: randomUUID(),
    userId: actor.id,
    number: volunteerNumber(now),
    ...fields,
    status: 'pending',
    rejectionReason: null,
    decidedBy: null,
    approvedAt: null,
    synthetic: false,
    createdAt: now,
    updatedAt: now
  })
  try {
    await em.insert(Volunteer, volunteer)
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('already_registered', 'You have already registered with the alliance.')
    throw err
  }
  return presentOne(em, volunteer)
}

/** The caller's own registration. @throws NotFoundError when they have none */
/** The caller's registration, or null when they never registered (an answer, not an error). */
export async function findMyVolunteer(em: EntityManager, actor: Actor): Promise<VolunteerView | null> {
  const v = await em.findOneBy(Volunteer, { userId: actor.id })
  return v ? presentOne(em, v) : null
}

/** The caller's approved membership, which every alliance action needs. @throws ForbiddenError `volunteer_not_approved` */
export async function requireApprovedVolunteer(em: EntityManager, actor: Actor): Promise<Volunteer> {
  const v = await em.findOneBy(Volunteer, { userId: actor.id })
  if (!v || v.status !== 'approved') throw new ForbiddenError('Only approved alliance volunteers may do this.', 'volunteer_not_approved')
  return v
}

export async function listVolunteers(em: EntityManager, actor: Actor, query: { status?: VolunteerStatus; communityCode?: string }): Promise<VolunteerView[]> {
  if (!(VOLUNTEER_APPROVERS as readonly string[]).includes(actor.role)) throw new ForbiddenError()
  const qb = em.getRepository(Volunteer).createQueryBuilder('v')
  const scope = scopeCondition(actor, 'v')
  if (scope) qb.andWhere(scope.sql, scope.params)
  if (query.status) qb.andWhere('v.status = :status', { status: query.status })
  if (query.communityCode) qb.andWhere('v.communityCode = :community', { community: query.communityCode })
  const rows = await qb.orderBy('v.createdAt', 'ASC').addOrderBy('v.id', 'ASC').take(200).getMany()
  const names = await loadTerritoryNames(em, { communityCodes: rows.map((r) => r.communityCode) })
  return rows.map((r) => presentVolunteer(r, names))
}

async function requireVolunteerInScope(em: EntityManager, actor: Actor, id: string): Promise<Volunteer> {
  if (!(VOLUNTEER_APPROVERS as readonly string[]).includes(actor.role)) throw new ForbiddenError()
  const v = await em.findOneBy(Volunteer, { id })
  if (!v || !isInScope(actor, { communityCode: v.communityCode, streetCode: v.streetCode })) throw new NotFoundError('No such volunteer in your area.')
  return v
}

/**
 * Approves a pending applicant of the actor's community (or street, or district). The user's role
 * becomes `volunteer` in the same transaction, so the app shows the alliance pages at once; staff
 * accounts are never changed. The applicant is told.
 * @throws NotFoundError out of scope; InvalidTransitionError unless pending
 */
export async function approveVolunteer(em: EntityManager, deps: AppDeps, actor: Actor, id: string): Promise<VolunteerView> {
  const v = await requireVolunteerInScope(em, actor, id)
  const now = deps.now()
  const result = await em
    .createQueryBuilder()
    .update(Volunteer)
    .set({ status: 'approved', approvedAt: now, decidedBy: actor.id, rejectionReason: null, updatedAt: now })
    .where("id = :id AND status = 'pending'", { id })
    .execute()
  if (result.affected !== 1) throw new InvalidTransitionError(v.status, 'approve')
  await em.createQueryBuilder().update(User).set({ role: 'volunteer', updatedAt: now }).where("id = :id AND role = 'resident'", { id: v.userId }).execute()
  await notifyServiceUsers(em, deps, [{ userId: v.userId, kind: 'volunteer_approved', title: '志愿者注册已通过', body: `欢迎加入${ALLIANCE_NAME}，您的志愿者编号是 ${v.number}。` }])
  return presentOne(em, { ...v, status: 'approved', approvedAt: now, decidedBy: actor.id, rejectionReason: null, updatedAt: now })
}

/** Rejects a pending applicant with a reason the applicant sees. @throws NotFoundError; InvalidTransitionError */
export async function rejectVolunteer(em: EntityManager, deps: AppDeps, actor: Actor, id: string, reason: string): Promise<VolunteerView> {
  const v = await requireVolunteerInScope(em, actor, id)
  const now = deps.now()
  const result = await em
    .createQueryBuilder()
    .update(Volunteer)
    .set({ status: 'rejected', rejectionReason: reason, decidedBy: actor.id, updatedAt: now })
    .where("id = :id AND status = 'pending'", { id })
    .execute()
  if (result.affected !== 1) throw new InvalidTransitionError(v.status, 'reject')
  await notifyServiceUsers(em, deps, [{ userId: v.userId, kind: 'volunteer_rejected', title: '志愿者注册未通过', body: reason }])
  return presentOne(em, { ...v, status: 'rejected', rejectionReason: reason, decidedBy: actor.id, updatedAt: now })
}

/** Staff in scope add an award (表彰) to a volunteer's record. */
export async function addAward(em: EntityManager, deps: AppDeps, actor: Actor, volunteerId: string, input: CreateAwardInput) {
  const v = await requireVolunteerInScope(em, actor, volunteerId)
  const award = Object.assign(new VolunteerAward(), {
    id: randomUUID(),
    volunteerId: v.id,
    title: input.title,
    issuer: input.issuer,
    awardedAt: new Date(input.awardedAt),
    createdBy: actor.id,
    createdAt: deps.now()
  })
  await em.insert(VolunteerAward, award)
  return { id: award.id, title: award.title, issuer: award.issuer, awardedAt: award.awardedAt.toISOString() }
}

/**
 * The caller's service record after 《志愿服务记录与证明出具办法》: basic information, service
 * (activities attended, with check-in/out and hours), training, and awards. Only time between
 * check-in and check-out within the activity counts.
 * @throws NotFoundError when the caller is not registered
 */
export async function getMyRecord(em: EntityManager, deps: AppDeps, actor: Actor): Promise<VolunteerRecordView> {
  const v = await em.findOneBy(Volunteer, { userId: actor.id })
  if (!v) throw new NotFoundError('You have not registered with the alliance.')
  const signups = await em.getRepository(ActivitySignup).createQueryBuilder('s').where('s.userId = :user AND s.checkoutAt IS NOT NULL', { user: actor.id }).orderBy('s.checkoutAt', 'DESC').getMany()
  const activities = signups.length ? await em.find(VolunteerActivity, { where: { id: In(signups.map((s) => s.activityId)) } }) : []
  const activityById = new Map(activities.map((a) => [a.id, a]))
  const entries = signups.flatMap((s) => {
    const a = activityById.get(s.activityId)
    if (!a) return []
    const item = {
      activityId: a.id,
      title: a.title,
      kind: a.kind as ActivityKind,
      place: a.place,
      organiser: a.organiser,
      startsAt: a.startsAt.toISOString(),
      endsAt: a.endsAt.toISOString(),
      checkinAt: s.checkinAt ? s.checkinAt.toISOString() : null,
      checkoutAt: s.checkoutAt ? s.checkoutAt.toISOString() : null,
      hours: minutesToHours(s.serviceMinutes)
    }
    return [{ item, minutes: s.serviceMinutes }]
  })
  const service = entries.filter((e) => e.item.kind !== 'training')
  const training = entries.filter((e) => e.item.kind === 'training')
  const totalHours = (list: typeof entries) => minutesToHours(list.reduce((sum, e) => sum + e.minutes, 0))
  const awards = await em.find(VolunteerAward, { where: { volunteerId: v.id }, order: { awardedAt: 'DESC' } })
  const names = await loadTerritoryNames(em, { communityCodes: [v.communityCode] })
  return {
    basic: {
      number: v.number,
      name: v.name,
      phone: maskVolunteerPhone(v.phone),
      community: names.community(v.communityCode) ?? { code: v.communityCode, name: v.communityCode },
      skills: parseSkills(v.skills),
      registeredAt: v.createdAt.toISOString(),
      approvedAt: v.approvedAt ? v.approvedAt.toISOString() : null,
      organisation: ALLIANCE_NAME
    },
    service: { totalHours: totalHours(service), activityCount: service.length, items: service.map((e) => e.item) },
    training: { totalHours: totalHours(training), items: training.map((e) => e.item) },
    awards: { items: awards.map((a) => ({ id: a.id, title: a.title, issuer: a.issuer, awardedAt: a.awardedAt.toISOString() })) },
    generatedAt: deps.now().toISOString()
  }
}

/**
 * The monthly leaderboard: service hours credited by check-outs in the local month, highest first,
 * names masked (张*) because everyone sees it.
 */
export async function getLeaderboard(em: EntityManager, deps: AppDeps, actor: Actor | undefined, query: { month?: string; communityCode?: string }): Promise<LeaderboardView> {
  const month = query.month ?? chinaClock(deps.now()).monthKey
  const { from, to } = chinaMonthRange(month)
  const qb = em
    .getRepository(ActivitySignup)
    .createQueryBuilder('s')
    .select('s.userId', 'userId')
    .addSelect('SUM(s.serviceMinutes)', 'minutes')
    .addSelect('COUNT(*)', 'activities')
    .where('s.checkoutAt >= :from AND s.checkoutAt < :to AND s.serviceMinutes > 0', { from, to })
    .groupBy('s.userId')
    .orderBy('minutes', 'DESC')
    .addOrderBy('s.userId', 'ASC')
    .limit(VolunteerLimits.leaderboardSize)
  if (query.communityCode) qb.innerJoin(Volunteer, 'v', 'v.userId = s.userId AND v.communityCode = :community', { community: query.communityCode })
  const rows = await qb.getRawMany<{ userId: string; minutes: string | number; activities: string | number }>()
  const volunteers = rows.length ? await em.find(Volunteer, { where: { userId: In(rows.map((r) => r.userId)) } }) : []
  const byUser = new Map(volunteers.map((v) => [v.userId, v]))
  const names = await loadTerritoryNames(em, { communityCodes: volunteers.map((v) => v.communityCode) })
  return {
    month,
    items: rows.map((r, i) => {
      const v = byUser.get(r.userId)
      return {
        rank: i + 1,
        displayName: maskLeaderboardName(v?.name ?? '志愿者'),
        community: v ? (names.community(v.communityCode)?.name ?? '') : '',
        hours: minutesToHours(Number(r.minutes)),
        activityCount: Number(r.activities),
        isMe: actor !== undefined && r.userId === actor.id
      }
    })
  }
}
