import type { MessageKind, TemplateKey } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { enqueueNotifications, type NotificationInput } from './outbox'
import { thingValue, timeValue } from './templates'

/** A resident service's outcome that one user should hear of (a published testing point, a waiting-list promotion, …). */
export interface ServiceNoticeInput {
  userId: string
  /** What happened, e.g. `testing_point_published`, `signup_promoted`, `volunteer_approved`: picks the message kind and template. */
  kind: string
  title: string
  body: string
  /** The ticket the notice is about, when there is one (the message links to it). */
  ticketId?: string | null
}

/** How a service outcome is filed and pushed: booking changes and reminders, waiting-list promotions, the rest as plain notices. */
function classify(kind: string): { kind: MessageKind; templateKey: TemplateKey | null } {
  if (kind.startsWith('booking')) return { kind: 'booking_reminder', templateKey: 'booking_reminder' }
  if (kind.startsWith('signup') || kind.startsWith('activity')) return { kind: 'activity_promoted', templateKey: 'activity_promoted' }
  return { kind: 'service_notice', templateKey: null }
}

/**
 * Tells users of a service outcome through the one notification path: a message-centre row each and,
 * for kinds with a WeChat template, an outbox row, written with the caller's `em` inside the
 * transaction of the change (a rolled-back change tells nobody); the relay pushes after the commit.
 */
export async function notifyServiceUsers(em: EntityManager, deps: AppDeps, notices: readonly ServiceNoticeInput[]): Promise<void> {
  if (notices.length === 0) return
  const now = deps.now()
  const inputs = notices.map((n): NotificationInput => {
    const { kind, templateKey } = classify(n.kind)
    return {
      userId: n.userId,
      kind,
      title: n.title,
      body: n.body,
      ticketId: n.ticketId ?? null,
      ...(templateKey ? { push: { templateKey, payload: { page: 'pages/messages/index', data: { thing1: thingValue(n.title), time2: timeValue(now), thing3: thingValue(n.body) } } } } : {})
    }
  })
  await enqueueNotifications(em, deps, inputs)
}
