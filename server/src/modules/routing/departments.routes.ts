import Router from '@koa/router'
import { CreateDepartmentSchema, UpdateDepartmentSchema } from '@palm/shared'
import type { AppDeps } from '../../deps'
import { withTx } from '../../db/tx'
import { requireRole } from '../../http/auth'
import { parseBody } from '../../http/validate'
import { invalidateRoutingReference } from './reference-data'
import { createDepartment, listDepartmentsForAdmin, presentDepartment, updateDepartment } from './departments.service'

/**
 * /api/admin/departments: the district centre's list of departments (queues rules can name). The
 * district admin writes; a street admin may read (its console shows the rules with their names).
 * A change applies on this instance at once (the routing copy is dropped after the transaction)
 * and on the others within 30 s (REFERENCE_TTL_MS).
 */
export function createDepartmentsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/admin/departments' })

  router.get('/', async function listDepartmentsRoute(ctx) {
    requireRole(ctx, ['district_admin', 'street_admin'])
    ctx.body = (await listDepartmentsForAdmin(deps.ds.manager)).map(presentDepartment)
  })

  router.post('/', async function createDepartmentRoute(ctx) {
    requireRole(ctx, ['district_admin'])
    const input = parseBody(ctx, CreateDepartmentSchema)
    try {
      ctx.body = presentDepartment(await withTx(deps.ds, (em) => createDepartment(em, input)))
      ctx.status = 201
    } finally {
      invalidateRoutingReference(deps.ds)
    }
  })

  router.patch('/:code', async function updateDepartmentRoute(ctx) {
    requireRole(ctx, ['district_admin'])
    const input = parseBody(ctx, UpdateDepartmentSchema)
    try {
      ctx.body = presentDepartment(await withTx(deps.ds, (em) => updateDepartment(em, String(ctx.params.code), input)))
    } finally {
      invalidateRoutingReference(deps.ds)
    }
  })

  return router
}
