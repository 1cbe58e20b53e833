import { createHash, randomUUID } from 'node:crypto'
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { UploadView } from '@palm/shared'
import { In, type EntityManager } from 'typeorm'
import { withWrite } from '../../db/tx'
import type { AppDeps } from '../../deps'
import { NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import { reencodeImage } from './image'
import { signUploadUrl } from './signed-url'
import { Upload } from './upload.entity'

/**
 * Stores a photo: re-encoded (see reencodeImage), written under a server-made name (`ab/<uuid>.jpg`)
 * in the uploads directory, then recorded. The file is removed again if the row cannot be written.
 * @throws AppError 415 unsupported_media_type, 413 payload_too_large
 */
export async function storeUpload(deps: AppDeps, actor: Actor, input: Buffer): Promise<Upload> {
  const image = await reencodeImage(input)
  const id = randomUUID()
  const relative = path.join(id.slice(0, 2), `${id}.${image.extension}`)
  const absolute = path.join(deps.config.uploadsDir, relative)
  await mkdir(path.dirname(absolute), { recursive: true })
  await writeFile(absolute, image.data, { flag: 'wx', mode: 0o640 })
  const upload = Object.assign(new Upload(), {
    id,
    ownerId: actor.id,
    mime: image.mime,
    bytes: image.data.length,
    width: image.width,
    height: image.height,
    sha256: createHash('sha256').update(image.data).digest('hex'),
    path: relative,
    createdAt: deps.now()
  })
  try {
    await withWrite(deps.ds, (em) => em.getRepository(Upload).insert(upload))
  } catch (err) {
    await unlink(absolute).catch(() => undefined)
    throw err
  }
  return upload
}

export function presentUpload(deps: AppDeps, upload: Upload): UploadView {
  return {
    id: upload.id,
    mime: upload.mime === 'image/webp' ? 'image/webp' : 'image/jpeg',
    bytes: upload.bytes,
    width: upload.width,
    height: upload.height,
    url: signUploadUrl(deps.config, upload.id, deps.now())
  }
}

/** The stored bytes of an upload whose signed URL has already been checked. @throws NotFoundError */
export async function readUploadContent(deps: AppDeps, uploadId: string): Promise<{ upload: Upload; data: Buffer }> {
  const upload = await deps.ds.getRepository(Upload).findOneBy({ id: uploadId })
  if (!upload) throw new NotFoundError()
  const absolute = path.resolve(deps.config.uploadsDir, upload.path)
  if (!absolute.startsWith(path.resolve(deps.config.uploadsDir) + path.sep)) throw new NotFoundError()
  try {
    return { upload, data: await readFile(absolute) }
  } catch {
    throw new NotFoundError()
  }
}

/** The uploads with these ids that belong to `ownerId` (others are simply absent from the answer). */
export async function findOwnedUploads(em: EntityManager, ownerId: string, ids: readonly string[]): Promise<Upload[]> {
  if (ids.length === 0) return []
  return em.getRepository(Upload).find({ where: { id: In([...ids]), ownerId } })
}

/** The uploads with these ids, whoever owns them (for presenters that already checked access to the ticket). */
export async function findUploads(em: EntityManager, ids: readonly string[]): Promise<Upload[]> {
  if (ids.length === 0) return []
  return em.getRepository(Upload).find({ where: { id: In([...ids]) } })
}
