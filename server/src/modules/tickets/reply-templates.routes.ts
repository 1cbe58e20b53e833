import { randomUUID } from 'node:crypto'
import Router from '@koa/router'
import { CreateReplyTemplateSchema, ListReplyTemplatesQuerySchema, ReplyTemplateLimits, UpdateReplyTemplateSchema, type ReplyTemplateView } from '@palm/shared'
import type { Context } from 'koa'
import { z } from 'zod'
import { withTx } from '../../db/tx'
import type { AppDeps } from '../../deps'
import { BadRequestError, ConflictError, NotFoundError } from '../../errors'
import { requireRole } from '../../http/auth'
import { parseQuery } from '../../http/validate'
import { recordAudit } from '../audit/index'
import { getCategory } from '../sla/index'
import { ReplyTemplate } from './ticket.entity'

const STAFF = ['grid_worker', 'community_staff', 'department_staff', 'street_admin', 'district_admin'] as const

function present(t: ReplyTemplate): ReplyTemplateView {
  return { id: t.id, category: t.category, title: t.title, body: t.body, updatedAt: t.updatedAt.toISOString() }
}

/**
 * A template body with an unknown placeholder is refused with its own code (unknown_placeholder) at
 * the field's path, so the console can point at it; any other bad input is validation_failed.
 */
function parseTemplate<S extends z.ZodType>(ctx: Context, schema: S): z.infer<S> {
  const parsed = schema.safeParse((ctx.request as { body?: unknown }).body ?? {})
  if (parsed.success) return parsed.data
  const unknown = parsed.error.issues.find((i) => i.code === 'custom' && (i as { params?: { code?: string } }).params?.code === 'unknown_placeholder')
  if (unknown) throw new BadRequestError('unknown_placeholder', unknown.message, [{ path: unknown.path.join('.'), code: 'unknown_placeholder', message: unknown.message }])
  throw parsed.error
}

/**
 * /api/reply-templates: 常用语 per category (docs/handling.md). Every member of staff reads them (the
 * reply and resolution forms offer them); the district admin writes them.
 */
export function createReplyTemplatesRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/reply-templates' })

  router.get('/', async function listReplyTemplatesRoute(ctx) {
    requireRole(ctx, STAFF)
    const query = parseQuery(ctx, ListReplyTemplatesQuerySchema)
    const rows = await deps.ds.getRepository(ReplyTemplate).find({ where: query.category ? { category: query.category } : {}, order: { category: 'ASC', createdAt: 'ASC' } })
    ctx.body = { items: rows.map(present) }
  })

  router.post('/', async function createReplyTemplateRoute(ctx) {
    const actor = requireRole(ctx, ['district_admin'])
    const input = parseTemplate(ctx, CreateReplyTemplateSchema)
    ctx.body = await withTx(deps.ds, async (em) => {
      if (!(await getCategory(em, input.category)))
        throw new BadRequestError('unknown_category', 'There is no such category.', [{ path: 'category', code: 'unknown_category', message: 'There is no such category.' }])
      const count = await em.getRepository(ReplyTemplate).countBy({ category: input.category })
      if (count >= ReplyTemplateLimits.perCategoryMax) throw new ConflictError('conflict', `A category has at most ${ReplyTemplateLimits.perCategoryMax} templates.`)
      const now = deps.now()
      const row = Object.assign(new ReplyTemplate(), { id: randomUUID(), ...input, updatedBy: actor.id, createdAt: now, updatedAt: now })
      await em.getRepository(ReplyTemplate).insert(row)
      await recordAudit(em, { action: 'reply_template.create', objectType: 'reply_template', objectId: row.id, detail: { category: row.category, title: row.title }, actor })
      return present(row)
    })
    ctx.status = 201
  })

  router.patch('/:id', async function updateReplyTemplateRoute(ctx) {
    const actor = requireRole(ctx, ['district_admin'])
    const input = parseTemplate(ctx, UpdateReplyTemplateSchema)
    const id = z.uuid().safeParse(ctx.params.id)
    if (!id.success) throw new NotFoundError('There is no such template.')
    ctx.body = await withTx(deps.ds, async (em) => {
      const row = await em.getRepository(ReplyTemplate).findOneBy({ id: id.data })
      if (!row) throw new NotFoundError('There is no such template.')
      const changes = { ...(input.title !== undefined ? { title: input.title } : {}), ...(input.body !== undefined ? { body: input.body } : {}), updatedBy: actor.id, updatedAt: deps.now() }
      await em.getRepository(ReplyTemplate).update({ id: row.id }, changes)
      await recordAudit(em, { action: 'reply_template.update', objectType: 'reply_template', objectId: row.id, detail: { category: row.category, fields: Object.keys(input) }, actor })
      return present(Object.assign(row, changes))
    })
  })

  router.delete('/:id', async function deleteReplyTemplateRoute(ctx) {
    const actor = requireRole(ctx, ['district_admin'])
    const id = z.uuid().safeParse(ctx.params.id)
    if (!id.success) throw new NotFoundError('There is no such template.')
    await withTx(deps.ds, async (em) => {
      const deleted = await em.getRepository(ReplyTemplate).delete({ id: id.data })
      if (!deleted.affected) throw new NotFoundError('There is no such template.')
      await recordAudit(em, { action: 'reply_template.delete', objectType: 'reply_template', objectId: id.data, actor })
    })
    ctx.status = 204
  })

  return router
}
