import { randomUUID } from 'node:crypto'
import type { EntityManager } from 'typeorm'
import { ServiceNotice } from './service-support.entity'

export interface ServiceNoticeInput {
  userId: string
  kind: string
  title: string
  body: string
  subjectRef: string
}

/**
 * Tells users of a service outcome. Written with `em`, inside the transaction of the change, so a
 * notice exists exactly when the change does (the outbox rule of domain.md "Notifications"). The
 * notifications module relays these rows to the message centre and WeChat.
 */
export async function recordServiceNotices(em: EntityManager, now: Date, notices: readonly ServiceNoticeInput[]): Promise<void> {
  if (notices.length === 0) return
  const rows = notices.map((n) => ({
    id: randomUUID(),
    userId: n.userId,
    kind: n.kind,
    title: n.title.slice(0, 64),
    body: n.body.slice(0, 500),
    subjectRef: n.subjectRef,
    createdAt: now,
    deliveredAt: null
  }))
  for (let i = 0; i < rows.length; i += 200) await em.insert(ServiceNotice, rows.slice(i, i + 200))
}
