import Router from '@koa/router'
import { ListCategoriesQuerySchema, UpdateCategorySchema } from '@palm/shared'
import type { AppDeps } from '../../deps'
import { requireRole } from '../../http/auth'
import { parseBody, parseQuery } from '../../http/validate'
import { withTx } from '../../db/tx'
import type { Actor } from '../auth/actor'
import { invalidateCategories, listCategories, presentCategory, updateCategory } from './categories.service'

/**
 * Categories and their time limits under /api/tickets/categories. Reading is public (the submission
 * form needs it before sign-in); changing is the district admin's. Mounted before the tickets router
 * so that "categories" is never read as a ticket id.
 */
export function createCategoriesRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/tickets/categories' })

  router.get('/', async function listCategoriesRoute(ctx) {
    const query = parseQuery(ctx, ListCategoriesQuerySchema)
    const includeInactive = query.includeInactive && (ctx.state.actor as Actor | undefined)?.role === 'district_admin'
    const categories = await listCategories(deps.ds.manager, query.kind, { includeInactive })
    ctx.body = categories.map(presentCategory)
  })

  router.patch('/:code', async function updateCategoryRoute(ctx) {
    requireRole(ctx, ['district_admin'])
    const code = String(ctx.params.code)
    const input = parseBody(ctx, UpdateCategorySchema)
    try {
      ctx.body = presentCategory(await withTx(deps.ds, (em) => updateCategory(em, code, input)))
    } finally {
      // After the commit (or the rollback): new submissions on this instance see the edit at once.
      invalidateCategories(deps.ds)
    }
  })

  return router
}
