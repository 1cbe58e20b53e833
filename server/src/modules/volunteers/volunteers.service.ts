import { randomBytes, randomUUID } from 'node:crypto'
import { chinaClock, chinaMonthRange, VolunteerLimits, type CreateAwardInput, type RegisterVolunteerInput, type VolunteerStatus } from '@palm/shared'
import { In, type EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { ConflictError, InvalidTransitionError, NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import { User } from '../auth/user.entity'
import { Community } from '../territory/territory.entity'
import { isUniqueViolation } from '../../db/errors'
import { notifyServiceUsers } from '../notifications/index'
import { ActivitySignup, Volunteer, VolunteerActivity, VolunteerAward } from './volunteer.entity'
import { applyVolunteerScope, assertApprovedMember, assertVolunteerApprover, mayDecideVolunteer } from './volunteers.policy'

/** The alliance's name on certificates and records. */
export const ALLIANCE_NAME = '平城反诈志愿者联盟'

function volunteerNumber(now: Date): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'
  return `PCFZ-${chinaClock(now).monthKey.replace('-', '')}-${[...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join('')}`
}

/**
 * Registers the caller as an applicant (status pending) for the community they chose. One row per
 * user (unique index): a second registration is 409, except after a rejection, when it re-applies.
 * @throws NotFoundError unknown community; ConflictError `already_registered`
 */
export async function registerVolunteer(em: EntityManager, deps: AppDeps, actor: Actor, input: RegisterVolunteerInput): Promise<Volunteer> {
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
  if (reapplied.affected === 1) return em.findOneByOrFail(Volunteer, { userId: actor.id })
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
  return volunteer
}

/** The caller's registration, or null when they never registered (an answer, not an error). */
export async function findMyVolunteer(em: EntityManager, actor: Actor): Promise<Volunteer | null> {
  return em.findOneBy(Volunteer, { userId: actor.id })
}

/** The caller's approved membership, which every alliance action needs. @throws ForbiddenError `volunteer_not_approved` */
export async function requireApprovedVolunteer(em: EntityManager, actor: Actor): Promise<Volunteer> {
  const v = await em.findOneBy(Volunteer, { userId: actor.id })
  assertApprovedMember(v)
  return v
}

/** The members and applicants in the approver's scope, oldest application first. @throws ForbiddenError */
export async function listVolunteers(em: EntityManager, actor: Actor, query: { status?: VolunteerStatus; communityCode?: string }): Promise<Volunteer[]> {
  const qb = applyVolunteerScope(em.getRepository(Volunteer).createQueryBuilder('v'), actor)
  if (query.status) qb.andWhere('v.status = :status', { status: query.status })
  if (query.communityCode) qb.andWhere('v.communityCode = :community', { community: query.communityCode })
  return qb.orderBy('v.createdAt', 'ASC').addOrderBy('v.id', 'ASC').take(200).getMany()
}

async function requireVolunteerInScope(em: EntityManager, actor: Actor, id: string): Promise<Volunteer> {
  assertVolunteerApprover(actor)
  const v = await em.findOneBy(Volunteer, { id })
  if (!v || !mayDecideVolunteer(actor, v)) throw new NotFoundError('No such volunteer in your area.')
  return v
}

/**
 * Approves a pending applicant of the actor's community (or street, or district). The user's role
 * becomes `volunteer` in the same transaction, so the app shows the alliance pages at once; staff
 * accounts are never changed. The applicant is told.
 * @throws NotFoundError out of scope; InvalidTransitionError unless pending
 */
export async function approveVolunteer(em: EntityManager, deps: AppDeps, actor: Actor, id: string): Promise<Volunteer> {
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
  return { ...v, status: 'approved', approvedAt: now, decidedBy: actor.id, rejectionReason: null, updatedAt: now }
}

/** Rejects a pending applicant with a reason the applicant sees. @throws NotFoundError; InvalidTransitionError */
export async function rejectVolunteer(em: EntityManager, deps: AppDeps, actor: Actor, id: string, reason: string): Promise<Volunteer> {
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
  return { ...v, status: 'rejected', rejectionReason: reason, decidedBy: actor.id, updatedAt: now }
}

/** Staff in scope add an award (表彰) to a volunteer's record. */
export async function addAward(em: EntityManager, deps: AppDeps, actor: Actor, volunteerId: string, input: CreateAwardInput): Promise<VolunteerAward> {
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
  return award
}

/** A member's service record as stored: the member, their checked-out sign-ups (newest first) with the activities, and awards. */
export interface VolunteerRecord {
  volunteer: Volunteer
  attended: Array<{ signup: ActivitySignup; activity: VolunteerActivity }>
  awards: VolunteerAward[]
}

/**
 * The caller's service record after 《志愿服务记录与证明出具办法》: basic information, the activities
 * attended (only checked-out sign-ups count), and awards; the view splits service from training.
 * @throws NotFoundError when the caller is not registered
 */
export async function getMyRecord(em: EntityManager, actor: Actor): Promise<VolunteerRecord> {
  const volunteer = await em.findOneBy(Volunteer, { userId: actor.id })
  if (!volunteer) throw new NotFoundError('You have not registered with the alliance.')
  const signups = await em.getRepository(ActivitySignup).createQueryBuilder('s').where('s.userId = :user AND s.checkoutAt IS NOT NULL', { user: actor.id }).orderBy('s.checkoutAt', 'DESC').getMany()
  const activities = signups.length ? await em.find(VolunteerActivity, { where: { id: In(signups.map((s) => s.activityId)) } }) : []
  const activityById = new Map(activities.map((a) => [a.id, a]))
  const attended = signups.flatMap((signup) => {
    const activity = activityById.get(signup.activityId)
    return activity ? [{ signup, activity }] : []
  })
  const awards = await em.find(VolunteerAward, { where: { volunteerId: volunteer.id }, order: { awardedAt: 'DESC' } })
  return { volunteer, attended, awards }
}

/** One line of the leaderboard as counted: the user, their minutes and activities, and their membership if any. */
export interface LeaderboardRow {
  userId: string
  minutes: number
  activities: number
  volunteer: Volunteer | undefined
}

/**
 * The monthly leaderboard: service minutes credited by check-outs in the local month, highest first
 * (the view masks the names, because everyone sees it).
 */
export async function getLeaderboard(em: EntityManager, deps: AppDeps, query: { month?: string; communityCode?: string }): Promise<{ month: string; rows: LeaderboardRow[] }> {
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
  return { month, rows: rows.map((r) => ({ userId: r.userId, minutes: Number(r.minutes), activities: Number(r.activities), volunteer: byUser.get(r.userId) })) }
}
