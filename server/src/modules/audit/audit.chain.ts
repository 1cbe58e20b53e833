import { createHash } from 'node:crypto'

/** The hash the first row chains to. */
export const GENESIS_HASH = '0'.repeat(64)

/** The columns a row's hash covers, in their stored form. */
export interface ChainedContent {
  seq: number
  createdAt: Date
  actorId: string | null
  actorRole: string | null
  actorScope: string | null
  action: string
  objectType: string
  objectId: string | null
  requestId: string | null
  clientAddress: string | null
  detail: string | null
}

/**
 * The canonical form of a row: a JSON array of its columns in a fixed order (time as ISO-8601 UTC),
 * so the same row always gives the same bytes on either database.
 */
export function canonicalRow(row: ChainedContent): string {
  return JSON.stringify([row.seq, row.createdAt.toISOString(), row.actorId, row.actorRole, row.actorScope, row.action, row.objectType, row.objectId, row.requestId, row.clientAddress, row.detail])
}

/** hash = SHA-256(previous hash ‖ "\n" ‖ canonical row), hex: changing any row breaks every later link. */
export function chainHash(prevHash: string, row: ChainedContent): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalRow(row)).digest('hex')
}
