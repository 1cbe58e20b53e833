import type { EntityManager } from 'typeorm'
import { chinaClock } from '@palm/shared'
import { withTx } from '../../db/tx'
import { isUniqueViolation } from '../../db/errors'
import type { AppDeps, BackgroundJob } from '../../deps'
import { enqueueNotifications, type NotificationInput } from '../notifications/index'
import { thingValue, timeValue } from '../notifications/templates'
import { ServiceReminder } from './reminder.entity'

export const REMINDERS_JOB_INTERVAL_MS = 60_000
const HOUR_MS = 60 * 60 * 1000
const DAY_MS = 24 * HOUR_MS
const BATCH_SIZE = 200

export type ReminderKind = 'day_before' | 'hour_before'
type SubjectType = 'legal_booking' | 'activity_signup'

interface DueReminder {
  subjectType: SubjectType
  subjectId: string
  userId: string
  startsAt: Date
  title: string
  place: string
}

/**
 * Which reminder is due for something starting at `startsAt`: the day-before one from 24 hours ahead
 * until an hour ahead, then the hour-before one until it starts; none once it started. A booking made
 * 40 minutes ahead gets only the hour-before one.
 */
export function reminderKindAt(startsAt: Date, now: Date): ReminderKind | null {
  const ahead = startsAt.getTime() - now.getTime()
  if (ahead <= 0 || ahead > DAY_MS) return null
  return ahead > HOUR_MS ? 'day_before' : 'hour_before'
}

/** A raw datetime: a Date from mysql2, or SQLite's UTC text. */
function rawDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`)
}

/** "12月3日 14:30" in Beijing time. */
function beijingTime(at: Date): string {
  const c = chinaClock(at)
  const [, month, day] = c.dateKey.split('-').map(Number)
  return `${month}月${day}日 ${String(Math.floor(c.minuteOfDay / 60)).padStart(2, '0')}:${String(c.minuteOfDay % 60).padStart(2, '0')}`
}

/**
 * Live bookings and confirmed sign-ups of activities not cancelled that start within 24 hours and
 * have not had the reminder due now. Cancelled ones are never read (status 'booked' / 'confirmed').
 */
async function findDue(deps: AppDeps, now: Date): Promise<DueReminder[]> {
  const until = new Date(now.getTime() + DAY_MS)
  const notSent = (type: SubjectType, idColumn: string) =>
    `NOT EXISTS (SELECT 1 FROM service_reminders r WHERE r.subject_type = '${type}' AND r.subject_id = ${idColumn} AND r.kind = CASE WHEN x_starts <= :hourAhead THEN 'hour_before' ELSE 'day_before' END)`
  const hourAhead = new Date(now.getTime() + HOUR_MS)
  const bookings = await deps.ds
    .createQueryBuilder()
    .select(['b.id AS id', 'b.user_id AS userId', 'b.starts_at AS startsAt', 's.name AS place'])
    .from('legal_bookings', 'b')
    .innerJoin('legal_stations', 's', 's.id = b.station_id')
    .where("b.status = 'booked'")
    .andWhere('b.starts_at > :now AND b.starts_at <= :until', { now, until })
    .andWhere(notSent('legal_booking', 'b.id').replace('x_starts', 'b.starts_at'), { hourAhead })
    .orderBy('b.starts_at', 'ASC')
    .limit(BATCH_SIZE)
    .getRawMany<{ id: string; userId: string; startsAt: Date | string; place: string }>()
  const signups = await deps.ds
    .createQueryBuilder()
    .select(['g.id AS id', 'g.user_id AS userId', 'a.starts_at AS startsAt', 'a.title AS title', 'a.place AS place'])
    .from('activity_signups', 'g')
    .innerJoin('volunteer_activities', 'a', 'a.id = g.activity_id')
    .where("g.status = 'confirmed'")
    .andWhere('a.cancelled = :no', { no: false })
    .andWhere('a.starts_at > :now AND a.starts_at <= :until', { now, until })
    .andWhere(notSent('activity_signup', 'g.id').replace('x_starts', 'a.starts_at'), { hourAhead })
    .orderBy('a.starts_at', 'ASC')
    .limit(BATCH_SIZE)
    .getRawMany<{ id: string; userId: string; startsAt: Date | string; title: string; place: string }>()
  return [
    ...bookings.map((b) => ({ subjectType: 'legal_booking' as const, subjectId: b.id, userId: b.userId, startsAt: rawDate(b.startsAt), title: '法律咨询', place: b.place })),
    ...signups.map((s) => ({ subjectType: 'activity_signup' as const, subjectId: s.id, userId: s.userId, startsAt: rawDate(s.startsAt), title: s.title, place: s.place }))
  ]
}

/**
 * Whether the booking or sign-up is still live, read inside the reminder's transaction. On MariaDB the
 * row is locked (FOR UPDATE), so a cancellation at the same moment either commits first (then no
 * reminder) or waits for the reminder; SQLite's single write queue serialises the two anyway.
 */
async function stillLive(em: EntityManager, r: DueReminder): Promise<boolean> {
  const sqlite = em.connection.options.type === 'better-sqlite3'
  const qb =
    r.subjectType === 'legal_booking'
      ? em.createQueryBuilder().select('b.id', 'id').from('legal_bookings', 'b').where("b.id = :id AND b.status = 'booked'", { id: r.subjectId })
      : em
          .createQueryBuilder()
          .select('g.id', 'id')
          .from('activity_signups', 'g')
          .innerJoin('volunteer_activities', 'a', 'a.id = g.activity_id')
          .where("g.id = :id AND g.status = 'confirmed' AND a.cancelled = :no", { id: r.subjectId, no: false })
  if (!sqlite) qb.setLock('pessimistic_write')
  return (await qb.getRawOne()) !== undefined
}

/**
 * The message-centre text and the WeChat push (template booking_reminder: 名称, 时间 = the start, 提示),
 * for a legal consultation or a volunteer activity alike.
 */
function noticeFor(r: DueReminder, kind: ReminderKind): NotificationInput {
  const when = beijingTime(r.startsAt)
  const soon = kind === 'hour_before' ? '一小时后开始' : '将在 24 小时内开始'
  const booking = r.subjectType === 'legal_booking'
  const title = booking ? '法律咨询预约提醒' : `志愿活动提醒：${r.title}`
  const body = booking
    ? `您预约的法律咨询将于 ${when}（${soon}）在${r.place}进行，如不能前往请提前取消。`
    : `您报名的活动“${r.title}”将于 ${when}（${soon}）在${r.place}开始，请准时签到；不能参加请提前取消报名。`
  const tip = booking ? '如不能前往请提前取消' : '请准时签到，不能参加请取消报名'
  return {
    userId: r.userId,
    kind: 'booking_reminder',
    title,
    body,
    push: {
      templateKey: 'booking_reminder',
      payload: { page: 'pages/messages/index', data: { thing1: thingValue(booking ? `法律咨询·${r.place}` : r.title), time2: timeValue(r.startsAt), thing3: thingValue(tip) } }
    }
  }
}

export interface ReminderPassResult {
  sent: Array<{ subjectType: SubjectType; subjectId: string; kind: ReminderKind }>
}

/**
 * One pass (docs/messages.md "Reminders"): for each booking and sign-up due a reminder, in one
 * transaction, claim it (insert into service_reminders; a second instance's insert fails on the key),
 * check it is still live, and write the message and outbox row (enqueueNotifications); the relay
 * sends after the commit. A booking or sign-up cancelled before that transaction gets nothing.
 */
export async function sendDueReminders(deps: AppDeps): Promise<ReminderPassResult> {
  const now = deps.now()
  const result: ReminderPassResult = { sent: [] }
  for (const due of await findDue(deps, now)) {
    const kind = reminderKindAt(due.startsAt, now)
    if (!kind) continue
    try {
      const sent = await withTx(deps.ds, async (em) => {
        if (!(await stillLive(em, due))) return false
        try {
          await em.getRepository(ServiceReminder).insert({ subjectType: due.subjectType, subjectId: due.subjectId, kind, userId: due.userId, startsAt: due.startsAt, createdAt: now })
        } catch (err) {
          if (isUniqueViolation(err)) return false
          throw err
        }
        await enqueueNotifications(em, deps, [noticeFor(due, kind)])
        return true
      })
      if (sent) result.sent.push({ subjectType: due.subjectType, subjectId: due.subjectId, kind })
    } catch (err) {
      deps.log.error({ err, subjectId: due.subjectId }, 'reminder failed; the next pass retries it')
    }
  }
  if (result.sent.length) deps.log.info({ sent: result.sent.length }, 'reminders written')
  return result
}

/** Every instance runs it; the claim key makes that safe. */
export const remindersJob: BackgroundJob = {
  name: 'service-reminders',
  intervalMs: REMINDERS_JOB_INTERVAL_MS,
  run: async (deps) => {
    await sendDueReminders(deps)
  }
}
