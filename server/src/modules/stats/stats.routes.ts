import Router from '@koa/router'
import { DashboardQuerySchema, HotspotQuerySchema, RankingQuerySchema, RankingWeightsSchema, STAFF_ROLES, StatsQuerySchema, type DashboardView, type RankingView } from '@palm/shared'
import type { AppDeps } from '../../deps'
import { withTx } from '../../db/tx'
import { requireRole } from '../../http/auth'
import { parseBody, parseQuery } from '../../http/validate'
import { toCsv } from '../../http/csv'
import { computeDashboard } from './dashboard.service'
import { listHotspots } from './hotspots'
import { computeRanking, readWeights, updateWeights } from './ranking.service'
import { computeStats } from './stats.service'
import { unitInScope } from './units'

const pct = (r: number | null) => (r === null ? '' : (r * 100).toFixed(1))
const FIGURE_HEADER = ['受理量', '其中巡查发现', '其中代报', '按时响应', '超时未响应', '已解决', '超期未解决', '超时工单', '已评价', '满意', '响应率%', '解决率%', '满意率%']
function figureCells(f: DashboardView['unit']) {
  return [
    f.received,
    f.patrol,
    f.onBehalf,
    f.acceptedOnTime,
    f.acceptMissed,
    f.resolved,
    f.openPastResolve,
    f.overdue,
    f.rated,
    f.satisfied,
    pct(f.responseRate),
    pct(f.resolutionRate),
    pct(f.satisfactionRate)
  ]
}

function sendCsv(ctx: import('koa').Context, name: string, body: string) {
  ctx.set('Content-Type', 'text/csv; charset=utf-8')
  ctx.set('Content-Disposition', `attachment; filename="${name}"`)
  ctx.body = body
}

/**
 * `/api/stats`: the summary card, the dashboard (and its CSV), the monthly ranking (and its CSV), the
 * ranking weights and hot spots. Staff only (403 for citizens); a unit outside the caller's scope is a 404.
 */
export function createStatsRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/stats' })

  router.get('/', async function statsRoute(ctx) {
    const actor = requireRole(ctx, STAFF_ROLES)
    const query = parseQuery(ctx, StatsQuerySchema)
    ctx.body = await computeStats(deps.ds.manager, actor, query, deps.now())
  })

  router.get('/dashboard', async function dashboardRoute(ctx) {
    const actor = requireRole(ctx, STAFF_ROLES)
    ctx.body = await computeDashboard(deps.ds.manager, actor, parseQuery(ctx, DashboardQuerySchema), deps.now())
  })

  router.get('/dashboard.csv', async function dashboardCsvRoute(ctx) {
    const actor = requireRole(ctx, STAFF_ROLES)
    const view = await computeDashboard(deps.ds.manager, actor, parseQuery(ctx, DashboardQuerySchema), deps.now())
    const rows = [view.unit, ...view.children].map((u) => [u.code, u.name, ...figureCells(u)])
    sendCsv(ctx, `dashboard-${view.unit.code}-${view.from}-${view.to}.csv`, toCsv(['编码', '单位', ...FIGURE_HEADER], rows))
  })

  router.get('/ranking', async function rankingRoute(ctx) {
    const actor = requireRole(ctx, STAFF_ROLES)
    ctx.body = await computeRanking(deps.ds.manager, actor, parseQuery(ctx, RankingQuerySchema), deps.now())
  })

  router.get('/ranking.csv', async function rankingCsvRoute(ctx) {
    const actor = requireRole(ctx, STAFF_ROLES)
    const view: RankingView = await computeRanking(deps.ds.manager, actor, parseQuery(ctx, RankingQuerySchema), deps.now())
    const w = view.weights
    const rows = view.rows.map((r) => [r.rank ?? '', r.code, r.name, r.score ?? '', ...figureCells(r)])
    sendCsv(ctx, `ranking-${view.level}-${view.from}-${view.to}.csv`, toCsv(['名次', '编码', '单位', `得分(响应${w.response}%/解决${w.resolution}%/满意${w.satisfaction}%)`, ...FIGURE_HEADER], rows))
  })

  router.get('/ranking-weights', async function weightsRoute(ctx) {
    requireRole(ctx, STAFF_ROLES)
    ctx.body = await readWeights(deps.ds.manager)
  })

  router.put('/ranking-weights', async function updateWeightsRoute(ctx) {
    const actor = requireRole(ctx, ['district_admin'])
    const input = parseBody(ctx, RankingWeightsSchema)
    ctx.body = await withTx(deps.ds, (em) => updateWeights(em, actor, input, deps.now()))
  })

  router.get('/hotspots', async function hotspotsRoute(ctx) {
    const actor = requireRole(ctx, STAFF_ROLES)
    const query = parseQuery(ctx, HotspotQuerySchema)
    const unit = await unitInScope(deps.ds.manager, actor, query.level, query.code)
    ctx.body = await listHotspots(deps.ds.manager, unit, deps.now())
  })

  return router
}
