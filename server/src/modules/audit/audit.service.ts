import type { DataSource, EntityManager } from 'typeorm'
import { AuditLimits, decodeCursor, encodeCursor, type AuditAction, type ExportAuditQuery, type ListAuditQuery } from '@palm/shared'
import { isSqlite, withTx } from '../../db/tx'
import { BadRequestError } from '../../errors'
import { AuditEvent, AuditHead } from './audit.entity'
import { chainHash, GENESIS_HASH } from './audit.chain'
import { currentAuditContext, type AuditActor } from './audit.context'

const HEAD_ID = 'audit'
/** Keys whose values never enter a row, at any depth (docs/security.md LOG-2). */
const SECRET_KEY = /password|token|secret|totp|session|phone|idcard|id_card|openid|unionid|^js_?code$/i

export type { AuditActor } from './audit.context'

export interface AuditEntry {
  action: AuditAction
  objectType: string
  objectId?: string | null
  /** Small and free of secrets: field names, states, counts. Secret-looking keys are dropped. */
  detail?: Record<string, unknown>
  /** Overrides the request's actor (sign-in: the account signing in); null = the system / nobody. */
  actor?: AuditActor | null
}

function scrub(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) return depth > 3 ? '…' : value.slice(0, 50).map((v) => scrub(v, depth + 1))
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    if (depth > 3) return '…'
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) if (!SECRET_KEY.test(k) && v !== undefined) out[k] = scrub(v, depth + 1)
    return out
  }
  return value
}

function detailJson(detail: Record<string, unknown> | undefined): string | null {
  if (!detail) return null
  const json = JSON.stringify(scrub(detail))
  return Buffer.byteLength(json) > AuditLimits.detailBytes ? JSON.stringify({ truncated: true }) : json
}

/**
 * Appends one row to the audit trail inside the caller's transaction (`em` of withTx), so the row
 * exists exactly when the change it records was committed. The chain's end is read locked (SELECT …
 * FOR UPDATE; SQLite's write queue already runs one transaction at a time), the row inserted and the
 * head moved only if it is still where it was read: concurrent writers wait and form one chain.
 * Cost per audited write: one locked read, one insert, one conditional update.
 */
export async function recordAudit(em: EntityManager, entry: AuditEntry): Promise<void> {
  const sqlite = isSqlite(em.connection)
  if (!sqlite && !em.queryRunner?.isTransactionActive) throw new Error('recordAudit needs the transaction of the change it records (withTx).')
  const context = currentAuditContext()
  const actor = entry.actor === undefined ? context?.state.actor : entry.actor
  const heads = (await em.query(`SELECT seq, hash FROM audit_head WHERE id = ?${sqlite ? '' : ' FOR UPDATE'}`, [HEAD_ID])) as Array<{ seq: number | string; hash: string }>
  const head = heads[0]
  if (!head) throw new Error('audit_head is missing: run the migrations.')
  const createdAt = new Date(Math.floor(Date.now() / 1000) * 1000)
  const row = {
    seq: Number(head.seq) + 1,
    createdAt,
    actorId: actor?.id ?? null,
    actorRole: actor?.role ?? null,
    actorScope: actor?.scope && Object.keys(actor.scope).length ? JSON.stringify(actor.scope).slice(0, 500) : null,
    action: entry.action,
    objectType: entry.objectType.slice(0, AuditLimits.objectTypeLength),
    objectId: entry.objectId ? entry.objectId.slice(0, AuditLimits.objectIdLength) : null,
    requestId: context?.requestId ?? null,
    clientAddress: context?.clientAddress?.slice(0, 64) ?? null,
    detail: detailJson(entry.detail)
  }
  const hash = chainHash(head.hash, row)
  await em.insert(AuditEvent, { ...row, prevHash: head.hash, hash })
  const moved = await em
    .createQueryBuilder()
    .update(AuditHead)
    .set({ seq: row.seq, hash })
    .where('id = :id AND seq = :seq', { id: HEAD_ID, seq: Number(head.seq) })
    .execute()
  if (moved.affected !== 1) throw new Error('The audit chain moved under this write; it is rolled back.')
}

/**
 * Records a read of personal data (nothing else changes), in a transaction of its own. Called by the
 * route after the data was read and before it is sent, so a failed record means no data leaves.
 */
export function recordAuditView(ds: DataSource, entry: AuditEntry): Promise<void> {
  return withTx(ds, (em) => recordAudit(em, entry))
}

function filtered(em: EntityManager, query: ExportAuditQuery) {
  const qb = em.getRepository(AuditEvent).createQueryBuilder('a')
  if (query.actor) qb.andWhere('a.actor_id = :actor', { actor: query.actor })
  if (query.action) qb.andWhere('a.action = :action', { action: query.action })
  if (query.object) {
    const at = query.object.indexOf(':')
    if (at < 0) qb.andWhere('a.object_type = :type', { type: query.object })
    else qb.andWhere('a.object_type = :type AND a.object_id = :oid', { type: query.object.slice(0, at), oid: query.object.slice(at + 1) })
  }
  if (query.from) qb.andWhere('a.created_at >= :from', { from: new Date(query.from) })
  if (query.to) qb.andWhere('a.created_at < :to', { to: new Date(query.to) })
  return qb.orderBy('a.seq', 'DESC')
}

/** A page of the trail, newest first, keyset-paged on seq (stable while rows are appended). */
export async function listAudit(em: EntityManager, query: ListAuditQuery): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
  const qb = filtered(em, query)
  if (query.cursor) {
    const parts = decodeCursor(query.cursor)
    const seq = parts?.[0]
    if (parts?.length !== 1 || typeof seq !== 'number') throw new BadRequestError('validation_failed', 'The cursor is not valid.', [{ path: 'cursor', code: 'invalid', message: 'not a cursor' }])
    qb.andWhere('a.seq < :before', { before: seq })
  }
  const rows = await qb.take(query.limit + 1).getMany()
  const items = rows.slice(0, query.limit)
  const last = items[items.length - 1]
  return { items, nextCursor: rows.length > query.limit && last ? encodeCursor([last.seq]) : null }
}

/**
 * The rows of an export (newest first, at most AuditLimits.exportRows) and the export's own audit row,
 * in one transaction: an export that could not be recorded is not handed out.
 */
export function exportAudit(ds: DataSource, query: ExportAuditQuery): Promise<AuditEvent[]> {
  return withTx(ds, async (em) => {
    const rows = await filtered(em, query).take(AuditLimits.exportRows).getMany()
    await recordAudit(em, { action: 'audit.export', objectType: 'audit', detail: { filters: query, rows: rows.length } })
    return rows
  })
}

export interface VerifyResult {
  ok: boolean
  rows: number
  /** What is wrong, naming the row (seq); empty when the chain is intact. */
  problems: string[]
}

/**
 * Recomputes the whole chain: each row's hash from its content and its predecessor's hash, seq
 * without gaps from 1, and the head equal to the last row. A changed row breaks its own hash; a
 * deleted row leaves a gap (or a head beyond the last row). Reads in pages of 1000.
 */
export async function verifyAuditChain(ds: DataSource, batch = 1000): Promise<VerifyResult> {
  const problems: string[] = []
  let prevHash = GENESIS_HASH
  let expected = 1
  let rows = 0
  for (;;) {
    const page = await ds.getRepository(AuditEvent).createQueryBuilder('a').where('a.seq >= :from', { from: expected }).orderBy('a.seq', 'ASC').take(batch).getMany()
    for (const row of page) {
      rows++
      if (row.seq !== expected) problems.push(`rows ${expected}…${row.seq - 1} are missing (deleted before row ${row.seq})`)
      if (row.prevHash !== prevHash) problems.push(`row ${row.seq}: does not chain to the row before it`)
      if (chainHash(row.prevHash, row) !== row.hash) problems.push(`row ${row.seq}: its content was changed (hash mismatch)`)
      prevHash = row.hash
      expected = row.seq + 1
    }
    if (page.length < batch) break
  }
  const head = await ds.getRepository(AuditHead).findOneBy({ id: HEAD_ID })
  if (!head) problems.push('audit_head is missing')
  else if (head.seq !== expected - 1) problems.push(`rows ${expected}…${head.seq} are missing (the head is at ${head.seq}, the last row is ${expected - 1})`)
  else if (head.hash !== prevHash) problems.push(`row ${head.seq}: does not match the chain head`)
  return { ok: problems.length === 0, rows, problems }
}
