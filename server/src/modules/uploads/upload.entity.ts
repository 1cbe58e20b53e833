import { Column, Entity, Index, PrimaryColumn } from 'typeorm'

/**
 * A photo as stored: always re-encoded by us (JPEG or WebP, ≤ 2,048 px, no metadata), under a random
 * name in the uploads directory. Who may see it follows the ticket it is attached to.
 */
@Entity('uploads')
@Index('IDX_uploads_owner', ['ownerId', 'createdAt'])
export class Upload {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'owner_id', type: 'varchar', length: 36 })
  ownerId: string

  @Column({ type: 'varchar', length: 32 })
  mime: string

  @Column({ type: 'integer' })
  bytes: number

  @Column({ type: 'integer' })
  width: number

  @Column({ type: 'integer' })
  height: number

  /** Of the stored (re-encoded) file. */
  @Column({ type: 'varchar', length: 64 })
  sha256: string

  /** Relative to the uploads directory; server-generated, never from the client's file name. */
  @Column({ type: 'varchar', length: 255 })
  path: string

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date
}
