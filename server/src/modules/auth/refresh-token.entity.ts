import { Column, Entity, Index, PrimaryColumn } from 'typeorm'

/**
 * A refresh token, stored only as its SHA-256 hash. Tokens of one sign-in form a family: using a
 * token rotates it, and presenting an already-rotated token revokes the whole family (theft signal).
 */
@Entity('refresh_tokens')
@Index('UQ_refresh_tokens_hash', ['tokenHash'], { unique: true })
@Index('IDX_refresh_tokens_user', ['userId'])
@Index('IDX_refresh_tokens_family', ['familyId'])
export class RefreshToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string

  @Column({ name: 'family_id', type: 'varchar', length: 36 })
  familyId: string

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string

  @Column({ name: 'expires_at', type: 'datetime' })
  expiresAt: Date

  @Column({ name: 'used_at', type: 'datetime', nullable: true })
  usedAt: Date | null

  @Column({ name: 'revoked_at', type: 'datetime', nullable: true })
  revokedAt: Date | null

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date
}
