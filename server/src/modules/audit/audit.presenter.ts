import type { AuditEventView } from '@palm/shared'
import type { AuditEvent } from './audit.entity'

function parseObject(json: string | null): Record<string, unknown> | null {
  if (!json) return null
  try {
    const value: unknown = JSON.parse(json)
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}

/** A row as district admins read it (prev_hash stays internal; the row's own hash is shown). */
export function presentAuditEvent(row: AuditEvent): AuditEventView {
  return {
    seq: row.seq,
    at: row.createdAt.toISOString(),
    actorId: row.actorId,
    actorRole: row.actorRole,
    actorScope: parseObject(row.actorScope),
    action: row.action,
    objectType: row.objectType,
    objectId: row.objectId,
    requestId: row.requestId,
    clientAddress: row.clientAddress,
    detail: parseObject(row.detail),
    hash: row.hash
  }
}

export const AUDIT_CSV_HEADER = ['seq', 'time_utc', 'actor_id', 'actor_role', 'actor_scope', 'action', 'object_type', 'object_id', 'request_id', 'client_address', 'detail', 'hash'] as const

/** One CSV line; detail and scope stay JSON text (csvCell guards against formula injection). */
export function auditCsvRow(row: AuditEvent): Array<string | number | null> {
  return [row.seq, row.createdAt.toISOString(), row.actorId, row.actorRole, row.actorScope, row.action, row.objectType, row.objectId, row.requestId, row.clientAddress, row.detail, row.hash]
}
