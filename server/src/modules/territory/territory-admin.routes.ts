import Router from '@koa/router'
import { TerritoryImportBodySchema, TerritoryImportLimits, TerritoryImportQuerySchema, formatIssuePath } from '@palm/shared'
import type { AppDeps } from '../../deps'
import { AppError, BadRequestError } from '../../errors'
import { requireRole } from '../../http/auth'
import { parseQuery } from '../../http/validate'
import { exportTerritory } from './territory-export.service'
import { importTerritory } from './territory-import.service'

/** The import route's own body limit (the app's default stays small); see jsonBody's route limits. */
export const TERRITORY_IMPORT_BODY_LIMIT = { path: '/api/admin/territory/import', limitBytes: TerritoryImportLimits.maxBytes } as const

/**
 * Territory import and export for the district centre (docs/territory-import.md). A dry run always
 * answers 200 with the report; a real import that the report blocks answers 422 `territory_invalid`
 * with the same report in the problem body, and writes nothing.
 */
export function createTerritoryAdminRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/admin/territory' })

  router.post('/import', async (ctx) => {
    requireRole(ctx, ['district_admin'])
    const { dryRun } = parseQuery(ctx, TerritoryImportQuerySchema)
    const parsed = TerritoryImportBodySchema.safeParse((ctx.request as { body?: unknown }).body)
    if (!parsed.success) {
      const errors = parsed.error.issues.slice(0, 20).map((i) => ({ path: formatIssuePath(i.path), code: i.code, message: i.message }))
      throw new BadRequestError('territory_file_invalid', 'The body is not a territory file: a GeoJSON FeatureCollection (or up to three in an array).', errors)
    }
    const report = await importTerritory(deps, parsed.data, dryRun)
    if (!dryRun && !report.valid) throw new AppError(422, 'territory_invalid', `The file has ${report.errors.length} error(s); nothing was written.`, { data: { report } })
    ctx.body = report
  })

  router.get('/export', async (ctx) => {
    requireRole(ctx, ['district_admin'])
    const file = await exportTerritory(deps.ds.manager)
    ctx.set('Content-Disposition', `attachment; filename="territory-${deps.now().toISOString().slice(0, 10)}.geojson"`)
    ctx.body = file
  })

  return router
}
