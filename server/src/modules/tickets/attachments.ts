import { In, type EntityManager } from 'typeorm'
import { ValidationError } from '../../errors'
import { findOwnedUploads, type Upload } from '../uploads/index'
import { TicketAttachment } from './ticket.entity'
import { insertRows } from '../../db/write-batch'

interface AttachOptions {
  ownerId: string
  ticketId: string
  uploadIds: readonly string[]
  role: 'report' | 'reply'
  eventSeq: number
  at: Date
}

/**
 * Checks that the photos are the caller's own and still unused, and makes their attachment rows
 * (written by the caller). Someone else's upload and an unknown id look alike (400 on
 * `attachmentIds`); an upload already on a ticket is refused, and the primary key on upload_id keeps
 * it so under a race (409). Returns the uploads too (their sizes are part of the ticket's view).
 * @throws ValidationError
 */
export async function prepareAttachments(em: EntityManager, opts: AttachOptions): Promise<{ rows: TicketAttachment[]; uploads: Upload[] }> {
  if (opts.uploadIds.length === 0) return { rows: [], uploads: [] }
  const owned = await findOwnedUploads(em, opts.ownerId, opts.uploadIds)
  const ownedIds = new Set(owned.map((u) => u.id))
  const missing = opts.uploadIds.findIndex((id) => !ownedIds.has(id))
  if (missing >= 0) throw new ValidationError([{ path: `attachmentIds.${missing}`, code: 'unknown_upload', message: 'Upload the photo first (POST /api/uploads).' }])
  const used = await em.getRepository(TicketAttachment).find({ where: { uploadId: In([...opts.uploadIds]) }, select: { uploadId: true } })
  if (used.length > 0) {
    const index = opts.uploadIds.indexOf(used[0]?.uploadId ?? '')
    throw new ValidationError([{ path: `attachmentIds.${index}`, code: 'upload_in_use', message: 'This photo is already attached to a ticket.' }])
  }
  const rows = opts.uploadIds.map((uploadId) => Object.assign(new TicketAttachment(), { uploadId, ticketId: opts.ticketId, role: opts.role, eventSeq: opts.eventSeq, createdAt: opts.at }))
  return { rows, uploads: owned }
}

/** Attaches the caller's own, still unused photos to a ticket (see prepareAttachments). @throws ValidationError */
export async function attachUploads(em: EntityManager, opts: AttachOptions): Promise<TicketAttachment[]> {
  const { rows } = await prepareAttachments(em, opts)
  await insertRows(em, TicketAttachment, rows)
  return rows
}
