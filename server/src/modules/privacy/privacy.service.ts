import { DELETED_ACCOUNT_NAME, POLICY_VERSION, type AccountDeletionView, type MyDataExportView } from '@palm/shared'
import { In, IsNull, Not, type EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { withTx } from '../../db/tx'
import { AppError, UnauthenticatedError } from '../../errors'
import type { Actor } from '../auth/actor'
import { recordAudit, recordAuditView } from '../audit/index'
import { RefreshToken } from '../auth/refresh-token.entity'
import { User } from '../auth/user.entity'
import { LegalBooking, LegalSlot } from '../legal/index'
import { Message, SubscriptionGrant } from '../notifications/notification.entity'
import { maskPublicText } from '../masking/index'
import { TestingPointSupport } from '../testing-points/testing-point.entity'
import { Ticket, TicketAttachment, TicketEventRow, TicketFollower } from '../tickets/index'
import { plainRoutingNote } from '../tickets/tickets.presenter'
import { ActivitySignup, Volunteer, VolunteerActivity } from '../volunteers/index'
import { cancelBooking } from '../legal/legal-booking.service'
import { cancelSignup } from '../volunteers/signups.service'
import { consentHistory, currentConsent } from '../auth/consent-records'

type Row = Record<string, unknown>

/** Internal bookkeeping columns that say nothing about the resident (claims, locks, hashes). */
const INTERNAL = new Set(['claimedBy', 'claimedUntil', 'activeSlotId', 'activeActivityId', 'lockedUntil', 'routingInputs', 'routingReason', 'data'])
/** Events whose note is the staff's routing reason (names, workloads): exported as the resident reads it. */
const ROUTING_EVENTS = new Set(['assign', 'transfer', 'escalate'])

/** A stored row as JSON: dates as ISO strings, internal columns left out. */
function plain(row: object): Row {
  const out: Row = {}
  for (const [k, v] of Object.entries(row)) {
    if (INTERNAL.has(k)) continue
    out[k] = v instanceof Date ? v.toISOString() : v
  }
  return out
}

/**
 * Everything kept about the signed-in resident (PIPL art. 45; docs/security.md PI-13): account, consent
 * and its history, the tickets they reported with their events and attachment ids, follows,
 * supports, bookings, volunteer record and sign-ups, messages and subscriptions. Only rows keyed to
 * the caller's own id are read, so there is no way to ask for someone else's.
 */
export async function exportMyData(deps: AppDeps, actor: Actor): Promise<MyDataExportView> {
  const em = deps.ds.manager
  const user = await em.getRepository(User).findOneBy({ id: actor.id })
  if (!user) throw new UnauthenticatedError('This account no longer exists.', 'invalid_token')
  const tickets = await em.getRepository(Ticket).find({ where: { reporterId: actor.id }, order: { createdAt: 'ASC' } })
  const ids = tickets.map((t) => t.id)
  const events = ids.length ? await em.getRepository(TicketEventRow).find({ where: { ticketId: In(ids) }, order: { seq: 'ASC' } }) : []
  const attachments = ids.length ? await em.getRepository(TicketAttachment).find({ where: { ticketId: In(ids) } }) : []
  const volunteer = await em.getRepository(Volunteer).findOneBy({ userId: actor.id })
  const view: MyDataExportView = {
    exportedAt: deps.now().toISOString(),
    policyVersion: POLICY_VERSION,
    account: {
      id: user.id,
      role: user.role,
      displayName: user.displayName,
      phone: user.phone,
      wechatBound: Boolean(user.openid),
      communityCode: user.communityCode,
      createdAt: user.createdAt.toISOString()
    },
    consent: await currentConsent(em, actor.id),
    consentHistory: await consentHistory(em, actor.id),
    tickets: tickets.map((t) => ({
      ...plain(t),
      routing: plainRoutingNote(t.level),
      events: events.filter((e) => e.ticketId === t.id).map((e) => (ROUTING_EVENTS.has(e.event) ? { ...plain(e), note: plainRoutingNote(t.level) } : plain(e))),
      attachmentIds: attachments.filter((a) => a.ticketId === t.id).map((a) => a.uploadId)
    })),
    follows: (await em.getRepository(TicketFollower).find({ where: { userId: actor.id } })).map(plain),
    supports: (await em.getRepository(TestingPointSupport).find({ where: { userId: actor.id } })).map(plain),
    bookings: (await em.getRepository(LegalBooking).find({ where: { userId: actor.id } })).map(plain),
    volunteer: volunteer ? plain(volunteer) : null,
    signups: (await em.getRepository(ActivitySignup).find({ where: { userId: actor.id } })).map(plain),
    messages: (await em.getRepository(Message).find({ where: { userId: actor.id }, order: { createdAt: 'ASC' } })).map(plain),
    subscriptions: (await em.getRepository(SubscriptionGrant).find({ where: { userId: actor.id } })).map(plain)
  }
  // Recorded after the read and before the answer leaves: if recording fails, the data does not leave.
  await recordAuditView(deps.ds, { action: 'privacy.export', objectType: 'user', objectId: actor.id, detail: { tickets: tickets.length } })
  return view
}

/** A ticket's `details` JSON with every string value masked (a tip's phone number, a typed name…). */
export function maskDetails(details: string | null, names: readonly string[]): string | null {
  if (!details) return details
  try {
    const parsed = JSON.parse(details) as unknown
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) out[k] = typeof v === 'string' ? maskPublicText(v, { names }) : v
    return JSON.stringify(out)
  } catch {
    return null
  }
}

/** Cancels an open booking through the legal service (the seat frees); past the change cut-off it is cancelled directly. */
async function cancelOpenBooking(em: EntityManager, deps: AppDeps, actor: Actor, booking: LegalBooking): Promise<boolean> {
  try {
    await cancelBooking(em, deps, actor, booking.id)
    return true
  } catch (err) {
    if (!(err instanceof AppError) || booking.startsAt.getTime() <= deps.now().getTime()) return false
    const now = deps.now()
    const done = await em
      .createQueryBuilder()
      .update(LegalBooking)
      .set({ status: 'cancelled', activeSlotId: null, cancelledAt: now, updatedAt: now })
      .where("id = :id AND status = 'booked'", { id: booking.id })
      .execute()
    if (done.affected !== 1) return false
    await em
      .createQueryBuilder()
      .update(LegalSlot)
      .set({ booked: () => 'booked - 1' })
      .where('id = :id AND booked > 0', { id: booking.slotId })
      .execute()
    return true
  }
}

/**
 * Account deletion (注销, PIPL art. 47; docs/security.md PI-12), in one transaction:
 * - open bookings and sign-ups are cancelled through their services, so seats free and waiting
 *   lists move; follows, subscribe grants and messages are removed;
 * - the volunteer profile keeps its number and hours for the activity records, with name and phone erased;
 * - tickets stay for the district, pointing at the anonymised account; names and phone numbers in
 *   their text and details are masked, and the resident's name on timeline events is replaced;
 * - the account keeps its id but loses openid, unionid, phone and name, is disabled, and every
 *   session is revoked: the next WeChat sign-in creates a fresh account.
 */
export async function deleteMyAccount(deps: AppDeps, actor: Actor): Promise<AccountDeletionView> {
  const now = deps.now()
  return withTx(deps.ds, async (em) => {
    const user = await em.getRepository(User).findOneBy({ id: actor.id })
    if (!user) throw new UnauthenticatedError('This account no longer exists.', 'invalid_token')
    const names = [user.displayName]
    const volunteer = await em.getRepository(Volunteer).findOneBy({ userId: actor.id })
    if (volunteer) names.push(volunteer.name)

    let bookingsCancelled = 0
    for (const b of await em.getRepository(LegalBooking).find({ where: { userId: actor.id, status: 'booked' } })) {
      if (await cancelOpenBooking(em, deps, actor, b)) bookingsCancelled++
    }
    let signupsCancelled = 0
    const signups = await em.getRepository(ActivitySignup).find({ where: { userId: actor.id, activeActivityId: Not(IsNull()) } })
    for (const s of signups) {
      const activity = await em.getRepository(VolunteerActivity).findOneBy({ id: s.activityId })
      if (!activity || activity.startsAt.getTime() <= now.getTime()) continue
      await cancelSignup(em, deps, actor, s.activityId)
      signupsCancelled++
    }
    const follows = await em.createQueryBuilder().delete().from(TicketFollower).where('user_id = :id', { id: actor.id }).execute()
    await em.createQueryBuilder().delete().from(SubscriptionGrant).where('user_id = :id', { id: actor.id }).execute()
    await em.createQueryBuilder().delete().from(Message).where('user_id = :id', { id: actor.id }).execute()
    if (volunteer) await em.getRepository(Volunteer).update({ id: volunteer.id }, { name: DELETED_ACCOUNT_NAME, phone: '', updatedAt: now })

    const tickets = await em.getRepository(Ticket).find({ where: { reporterId: actor.id } })
    for (const t of tickets) {
      await em.getRepository(Ticket).update(
        { id: t.id },
        {
          description: maskPublicText(t.description, { names }),
          details: maskDetails(t.details, names),
          ratingComment: t.ratingComment ? maskPublicText(t.ratingComment, { names }) : t.ratingComment
        }
      )
    }
    const own = await em.getRepository(TicketEventRow).find({ where: { actorId: actor.id } })
    for (const e of own) {
      await em.getRepository(TicketEventRow).update({ id: e.id }, { actorName: DELETED_ACCOUNT_NAME, note: e.note ? maskPublicText(e.note, { names }) : e.note })
    }
    await em
      .getRepository(User)
      .update({ id: actor.id }, { displayName: DELETED_ACCOUNT_NAME, openid: null, unionid: null, openidSource: null, phone: null, demoKey: null, disabled: true, updatedAt: now })
    await em.createQueryBuilder().update(RefreshToken).set({ revokedAt: now }).where('user_id = :id AND revoked_at IS NULL', { id: actor.id }).execute()
    const counts = { bookingsCancelled, signupsCancelled, followsRemoved: follows.affected ?? 0, ticketsAnonymised: tickets.length }
    await recordAudit(em, { action: 'privacy.account_delete', objectType: 'user', objectId: actor.id, detail: counts })
    return {
      deletedAt: now.toISOString(),
      bookingsCancelled,
      signupsCancelled,
      followsRemoved: follows.affected ?? 0,
      ticketsAnonymised: tickets.length
    }
  })
}
