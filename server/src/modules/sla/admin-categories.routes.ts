import Router from '@koa/router'
import { CreateCategorySchema, ListAdminCategoriesQuerySchema, UpdateCategorySchema } from '@palm/shared'
import type { AppDeps } from '../../deps'
import { withTx } from '../../db/tx'
import { requireRole } from '../../http/auth'
import { parseBody, parseQuery } from '../../http/validate'
import { createCategory, invalidateCategories, listCategories, presentCategory, updateCategory } from './categories.service'

/**
 * /api/admin/categories: the console's categories, switched off ones included. The district admin
 * writes; a street admin may read. After a write, this instance's copy of the categories is dropped
 * (new submissions here see the change at once); other instances read theirs again within 30 s
 * (REFERENCE_TTL_MS, docs/console.md).
 */
export function createAdminCategoriesRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/admin/categories' })

  router.get('/', async function listAdminCategoriesRoute(ctx) {
    requireRole(ctx, ['district_admin', 'street_admin'])
    const query = parseQuery(ctx, ListAdminCategoriesQuerySchema)
    ctx.body = (await listCategories(deps.ds.manager, query.kind, { includeInactive: true })).map(presentCategory)
  })

  router.post('/', async function createCategoryRoute(ctx) {
    requireRole(ctx, ['district_admin'])
    const input = parseBody(ctx, CreateCategorySchema)
    try {
      ctx.body = presentCategory(await withTx(deps.ds, (em) => createCategory(em, input)))
      ctx.status = 201
    } finally {
      invalidateCategories(deps.ds)
    }
  })

  router.patch('/:code', async function updateAdminCategoryRoute(ctx) {
    requireRole(ctx, ['district_admin'])
    const input = parseBody(ctx, UpdateCategorySchema)
    try {
      ctx.body = presentCategory(await withTx(deps.ds, (em) => updateCategory(em, String(ctx.params.code), input)))
    } finally {
      invalidateCategories(deps.ds)
    }
  })

  return router
}
