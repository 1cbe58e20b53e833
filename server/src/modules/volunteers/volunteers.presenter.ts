import { maskLeaderboardName, maskVolunteerPhone, type ActivityKind, type AlertView, type LeaderboardView, type VolunteerRecordView, type VolunteerStatus, type VolunteerView } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { Actor } from '../auth/actor'
import { loadTerritoryNames, type TerritoryNames } from '../territory/index'
import type { AntiFraudAlert, Volunteer, VolunteerAward } from './volunteer.entity'
import { ALLIANCE_NAME, type LeaderboardRow, type VolunteerRecord } from './volunteers.service'

export function parseSkills(raw: string): string[] {
  const value = JSON.parse(raw) as unknown
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : []
}

export function presentVolunteer(v: Volunteer, names: TerritoryNames): VolunteerView {
  return {
    id: v.id,
    number: v.number,
    name: v.name,
    phone: maskVolunteerPhone(v.phone),
    community: names.community(v.communityCode) ?? { code: v.communityCode, name: v.communityCode },
    skills: parseSkills(v.skills),
    status: v.status as VolunteerStatus,
    rejectionReason: v.rejectionReason,
    createdAt: v.createdAt.toISOString(),
    approvedAt: v.approvedAt ? v.approvedAt.toISOString() : null
  }
}

/** Hours to one decimal, as volunteer records show them. */
export function minutesToHours(minutes: number): number {
  return Math.round((minutes / 60) * 10) / 10
}

/** The view of one member, with their community's name. */
export async function presentOneVolunteer(em: EntityManager, v: Volunteer): Promise<VolunteerView> {
  return presentVolunteer(v, await loadTerritoryNames(em, { communityCodes: [v.communityCode] }))
}

/** Views of a page of members, with their communities' names (one read). */
export async function presentVolunteers(em: EntityManager, rows: readonly Volunteer[]): Promise<VolunteerView[]> {
  const names = await loadTerritoryNames(em, { communityCodes: rows.map((r) => r.communityCode) })
  return rows.map((r) => presentVolunteer(r, names))
}

export function presentAward(a: VolunteerAward): { id: string; title: string; issuer: string; awardedAt: string } {
  return { id: a.id, title: a.title, issuer: a.issuer, awardedAt: a.awardedAt.toISOString() }
}

type RecordItem = VolunteerRecordView['service']['items'][number]

function recordItem({ signup: s, activity: a }: VolunteerRecord['attended'][number]): RecordItem {
  return {
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
}

/**
 * The service record as 《志愿服务记录与证明出具办法》 lays it out: basic information, service and
 * training apart (each with its total hours), and awards.
 */
export async function presentRecord(em: EntityManager, record: VolunteerRecord, now: Date): Promise<VolunteerRecordView> {
  const { volunteer: v } = record
  const entries = record.attended.map((e) => ({ item: recordItem(e), minutes: e.signup.serviceMinutes }))
  const service = entries.filter((e) => e.item.kind !== 'training')
  const training = entries.filter((e) => e.item.kind === 'training')
  const totalHours = (list: typeof entries) => minutesToHours(list.reduce((sum, e) => sum + e.minutes, 0))
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
    awards: { items: record.awards.map(presentAward) },
    generatedAt: now.toISOString()
  }
}

/** The leaderboard everyone sees: names masked (张*), the caller's own line marked. */
export async function presentLeaderboard(em: EntityManager, actor: Actor | undefined, board: { month: string; rows: readonly LeaderboardRow[] }): Promise<LeaderboardView> {
  const names = await loadTerritoryNames(em, { communityCodes: board.rows.flatMap((r) => (r.volunteer ? [r.volunteer.communityCode] : [])) })
  return {
    month: board.month,
    items: board.rows.map((r, i) => ({
      rank: i + 1,
      displayName: maskLeaderboardName(r.volunteer?.name ?? '志愿者'),
      community: r.volunteer ? (names.community(r.volunteer.communityCode)?.name ?? '') : '',
      hours: minutesToHours(r.minutes),
      activityCount: r.activities,
      isMe: actor !== undefined && r.userId === actor.id
    }))
  }
}

export function presentAlert(a: AntiFraudAlert): AlertView {
  return { id: a.id, title: a.title, body: a.body, level: a.level as AlertView['level'], publisher: a.publisher, publishedAt: a.publishedAt.toISOString() }
}
