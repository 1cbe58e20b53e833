import { Column, Entity, Index, PrimaryColumn } from 'typeorm'

/**
 * One row of the audit trail (docs/audit.md). Append-only: triggers refuse UPDATE and DELETE, and
 * `hash` = SHA-256 over the previous row's hash and this row's canonical content, so `npm run audit
 * -- verify` finds a row changed or removed behind the app's back. `seq` is the position in the one
 * chain (1, 2, 3, … with no gap), assigned under the lock of `audit_head`.
 */
@Entity('audit_events')
@Index('IDX_audit_events_actor', ['actorId', 'seq'])
@Index('IDX_audit_events_action', ['action', 'seq'])
@Index('IDX_audit_events_object', ['objectType', 'objectId', 'seq'])
@Index('IDX_audit_events_at', ['createdAt'])
export class AuditEvent {
  @PrimaryColumn({ type: 'integer' })
  seq: number

  /** UTC, whole seconds (what both databases store exactly, so the hash reads back the same). */
  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date

  /** The user who acted; null for the system (jobs, the CLI) and for a failed sign-in of an unknown name. */
  @Column({ name: 'actor_id', type: 'varchar', length: 36, nullable: true })
  actorId: string | null

  @Column({ name: 'actor_role', type: 'varchar', length: 32, nullable: true })
  actorRole: string | null

  /** The actor's scope (JSON) when it acted. */
  @Column({ name: 'actor_scope', type: 'varchar', length: 500, nullable: true })
  actorScope: string | null

  @Column({ type: 'varchar', length: 64 })
  action: string

  @Column({ name: 'object_type', type: 'varchar', length: 32 })
  objectType: string

  @Column({ name: 'object_id', type: 'varchar', length: 64, nullable: true })
  objectId: string | null

  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId: string | null

  @Column({ name: 'client_address', type: 'varchar', length: 64, nullable: true })
  clientAddress: string | null

  /** Small JSON: what changed (field names, states), never passwords, tokens or raw contact data. */
  @Column({ type: 'text', nullable: true })
  detail: string | null

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash: string

  @Column({ type: 'varchar', length: 64 })
  hash: string
}

/**
 * The end of the chain: one row (id 'audit') with the last seq and hash. Every append reads it
 * locked (SELECT … FOR UPDATE on MariaDB/MySQL; the write queue on SQLite) and moves it in the same
 * transaction, so concurrent writers form one chain; `verify` also checks the last row against it,
 * so deleting the newest rows is found too.
 */
@Entity('audit_head')
export class AuditHead {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  id: string

  @Column({ type: 'integer' })
  seq: number

  @Column({ type: 'varchar', length: 64 })
  hash: string
}
