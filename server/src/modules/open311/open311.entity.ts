import { Column, Entity, Index, PrimaryColumn } from 'typeorm'

/**
 * An Open311 API key, made by a district admin for one third party (docs/open311.md). Only the
 * sha256 of the key is stored: the key is 32 random bytes, so a plain hash cannot be guessed back.
 * Every key has its own resident account (`user_id`, no openid, no password: it cannot sign in)
 * that files the key's requests, so staff see "Open311·<name>" as the reporter.
 */
@Entity('open311_keys')
@Index('UQ_open311_keys_hash', ['keyHash'], { unique: true })
export class Open311Key {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ type: 'varchar', length: 48 })
  name: string

  @Column({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash: string

  /** The first characters of the key, shown in the admin list. */
  @Column({ name: 'key_prefix', type: 'varchar', length: 12 })
  keyPrefix: string

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string

  @Column({ name: 'created_by', type: 'varchar', length: 36 })
  createdBy: string

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date

  @Column({ name: 'revoked_at', type: 'datetime', nullable: true })
  revokedAt: Date | null

  @Column({ name: 'last_used_at', type: 'datetime', nullable: true })
  lastUsedAt: Date | null

  /** Every call that presented this key (accepted or refused after the key check). */
  @Column({ name: 'request_count', type: 'integer', default: 0 })
  requestCount: number
}

/** A ticket filed through Open311 (its channel) and the key that filed it. */
@Entity('open311_requests')
@Index('IDX_open311_requests_key', ['keyId', 'createdAt'])
export class Open311Request {
  @PrimaryColumn({ name: 'ticket_id', type: 'varchar', length: 36 })
  ticketId: string

  @Column({ name: 'key_id', type: 'varchar', length: 36 })
  keyId: string

  /** Always 'open311' for now; the column leaves room for other channels of the same kind. */
  @Column({ type: 'varchar', length: 16 })
  channel: string

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date
}
