import multer from '@koa/multer'
import Router from '@koa/router'
import type { Context, Middleware } from 'koa'
import { z } from 'zod'
import type { AppDeps } from '../../deps'
import { AppError, NotFoundError, ValidationError } from '../../errors'
import { requireActor } from '../../http/auth'
import { hitLimit } from '../limits/index'
import { verifyUploadSignature } from './signed-url'
import { presentUpload, readUploadContent, storeUpload } from './uploads.service'

const UploadIdParam = z.uuid()

/**
 * Multipart with one field `file`, held in memory up to the configured cap (10 MB by default). Multer's
 * own errors become problem+json: over the cap → 413, anything else malformed → 400.
 */
function singleFile(maxBytes: number): Middleware {
  const parse = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 4, parts: 6 } }).single('file')
  return async function singleFileMiddleware(ctx, next) {
    if (!ctx.is('multipart/form-data')) throw new AppError(415, 'unsupported_media_type', 'Send the photo as multipart/form-data, field “file”.')
    try {
      await parse(ctx, async () => undefined)
    } catch (err) {
      const code = (err as { code?: unknown }).code
      if (code === 'LIMIT_FILE_SIZE') throw new AppError(413, 'payload_too_large', `A photo is at most ${Math.round(maxBytes / 1024 / 1024)} MB.`)
      throw new ValidationError([{ path: 'file', code: typeof code === 'string' ? code.toLowerCase() : 'invalid', message: 'Send one photo in the field “file”.' }])
    }
    await next()
  }
}

/** `POST /api/uploads` (signed in) and `GET /api/uploads/:id/content` (a signed URL is the credential). */
export function createUploadsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/uploads' })

  router.post(
    '/',
    async function requireSignIn(ctx, next) {
      // Counted before the photo is read and decoded (the costly part), in the shared database.
      await hitLimit(deps, 'upload', requireActor(ctx).id)
      await next()
    },
    singleFile(deps.config.uploadMaxBytes),
    async function uploadPhoto(ctx: Context) {
      const actor = requireActor(ctx)
      const file = ctx.file as { buffer?: Buffer } | undefined
      if (!file?.buffer) throw new ValidationError([{ path: 'file', code: 'required', message: 'Send one photo in the field “file”.' }])
      const upload = await storeUpload(deps, actor, file.buffer)
      ctx.status = 201
      ctx.body = presentUpload(deps, upload)
    }
  )

  router.get('/:id/content', async function serveUpload(ctx) {
    const id = UploadIdParam.safeParse(ctx.params.id)
    if (!id.success || !verifyUploadSignature(deps.config, id.data, ctx.query.exp, ctx.query.sig, deps.now())) throw new NotFoundError()
    const { upload, data } = await readUploadContent(deps, id.data)
    const remaining = Math.max(0, Number(ctx.query.exp) - Math.floor(deps.now().getTime() / 1000))
    ctx.set('Cache-Control', `private, max-age=${remaining}`)
    ctx.set('Content-Disposition', `inline; filename="${upload.id}.${upload.mime === 'image/webp' ? 'webp' : 'jpg'}"`)
    ctx.type = upload.mime
    ctx.body = data
  })

  return router
}
