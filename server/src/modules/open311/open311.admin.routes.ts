import Router from '@koa/router'
import { CreateOpen311KeySchema, type Open311KeyCreatedView, type Open311KeyList, type Open311KeyView } from '@palm/shared'
import { z } from 'zod'
import type { AppDeps } from '../../deps'
import { requireRole } from '../../http/auth'
import { NotFoundError } from '../../errors'
import { parseBody } from '../../http/validate'
import { createKey, listKeys, revokeKey } from './open311.keys'

const KeyIdSchema = z.uuid()

/** /api/admin/open311/keys: the district admin lists, creates (key shown once) and revokes Open311 API keys. */
export function createOpen311AdminRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/admin/open311/keys' })

  router.get('/', async function listOpen311Keys(ctx) {
    requireRole(ctx, ['district_admin'])
    const body: Open311KeyList = { items: await listKeys(deps.ds.manager) }
    ctx.body = body
  })

  router.post('/', async function createOpen311Key(ctx) {
    const actor = requireRole(ctx, ['district_admin'])
    const input = parseBody(ctx, CreateOpen311KeySchema)
    const body: Open311KeyCreatedView = await createKey(deps.ds, deps, actor, input)
    ctx.set('Cache-Control', 'no-store')
    ctx.status = 201
    ctx.body = body
  })

  router.post('/:id/revoke', async function revokeOpen311Key(ctx) {
    requireRole(ctx, ['district_admin'])
    const id = KeyIdSchema.safeParse(ctx.params.id)
    if (!id.success) throw new NotFoundError('No such key.')
    const body: Open311KeyView = await revokeKey(deps.ds, deps, id.data)
    ctx.body = body
  })

  return router
}
