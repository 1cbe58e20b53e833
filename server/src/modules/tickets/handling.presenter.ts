import { approverRoleFor, isStaffRole, needsCallback, type Role, type TicketEvent, type TicketSource, type TicketView } from '@palm/shared'
import { callbackFacts } from './commands/handling-facts'
import type { Ticket } from './ticket.entity'
import { isSystemActor, type TicketActor } from './ticket-actor'

type CodeName = { code: string; name: string }
type HandlingFields = Pick<TicketView, 'source' | 'onBehalf' | 'emergency' | 'extension' | 'suspendedAt' | 'suspendedMinutes' | 'cohandlers' | 'needsCallback'>

/**
 * What the 12345-grade handling adds to a full ticket view (docs/handling.md): where it came from, the
 * phone of the resident a 代报 was filed for (staff and the filer only), the emergency clock, the
 * extension, the suspension, the 协办 departments, whether a 回访 is due.
 */
export function handlingFields(viewer: TicketActor, t: Ticket, cohandlers: CodeName[], handlerRole?: Role | null): HandlingFields {
  const seesContact = isSystemActor(viewer) || isStaffRole(viewer.role) || viewer.id === t.reporterId
  const fields: HandlingFields = {
    source: (t.source || 'resident') as TicketSource,
    emergency: Boolean(t.emergency),
    suspendedAt: t.suspendedAt ? t.suspendedAt.toISOString() : null,
    suspendedMinutes: t.suspendedMinutes ?? 0,
    needsCallback: t.state === 'resolved' && needsCallback(callbackFacts(t))
  }
  if (t.contactPhone && seesContact) fields.onBehalf = { phone: t.contactPhone, name: t.contactName }
  if (t.extensionState && t.extensionDueAt) {
    fields.extension = { state: t.extensionState as 'pending' | 'approved' | 'denied', dueAt: t.extensionDueAt.toISOString(), approverRole: approverRoleFor(t.level, handlerRole) }
  }
  if (cohandlers.length) fields.cohandlers = cohandlers
  return fields
}

/**
 * Whether a button is worth showing beyond role, state and policy: the rules the server would apply
 * anyway (an extension is asked once and before the deadline, decided by the level above, 催办 only
 * after the limit, no closing before a due 回访). A button hidden here would be refused if sent.
 */
export function offersAction(viewer: TicketActor, t: Ticket, event: TicketEvent, now: Date, handlerRole?: Role | null): boolean {
  switch (event) {
    case 'extend_request':
      return !t.extensionState && now.getTime() <= t.resolveDueAt.getTime()
    case 'extend_approve':
    case 'extend_deny':
      return t.extensionState === 'pending' && (isSystemActor(viewer) || viewer.role === approverRoleFor(t.level, handlerRole))
    case 'press':
      return t.dueAt.getTime() < now.getTime()
    case 'close':
      return !needsCallback(callbackFacts(t))
    default:
      return true
  }
}
