import type { MessageKind, TemplateKey } from '@palm/shared'
import { withTx } from '../../db/tx'
import type { AppDeps } from '../../deps'
import { ServiceNotice } from '../service-support/service-support.entity'
import { enqueueNotification } from './outbox'
import { thingValue, timeValue } from './templates'

/** How a service notice kind is filed and pushed: booking changes and reminders, waiting-list promotions. */
function classify(kind: string): { kind: MessageKind; templateKey: TemplateKey | null } {
  if (kind.startsWith('booking')) return { kind: 'booking_reminder', templateKey: 'booking_reminder' }
  if (kind.startsWith('signup') || kind.startsWith('activity')) return { kind: 'activity_promoted', templateKey: 'activity_promoted' }
  return { kind: 'service_notice', templateKey: null }
}

/**
 * Hands service notices (written by the services in their own transactions, `delivered_at` NULL)
 * to the message centre and the outbox. Each notice is taken by a conditional UPDATE of
 * `delivered_at` in the same transaction that writes its message and outbox row, so with several
 * instances each notice becomes exactly one message.
 */
export async function pumpServiceNoticesOnce(deps: AppDeps, batch = 100): Promise<number> {
  const candidates = await deps.ds
    .getRepository(ServiceNotice)
    .createQueryBuilder('n')
    .where('n.delivered_at IS NULL')
    .orderBy('n.created_at', 'ASC')
    .addOrderBy('n.id', 'ASC')
    .limit(batch)
    .getMany()
  let delivered = 0
  for (const notice of candidates) {
    const took = await withTx(deps.ds, async (em) => {
      const claim = await em
        .createQueryBuilder()
        .update(ServiceNotice)
        .set({ deliveredAt: deps.now() })
        .where('id = :id AND delivered_at IS NULL', { id: notice.id })
        .execute()
      if (claim.affected !== 1) return false
      const { kind, templateKey } = classify(notice.kind)
      await enqueueNotification(em, deps, {
        userId: notice.userId,
        kind,
        title: notice.title,
        body: notice.body,
        ticketId: null,
        ...(templateKey
          ? {
              push: {
                templateKey,
                payload: { page: 'pages/messages/index', data: { thing1: thingValue(notice.title), time2: timeValue(notice.createdAt), thing3: thingValue(notice.body) } }
              }
            }
          : {})
      })
      return true
    })
    if (took) delivered++
  }
  return delivered
}
