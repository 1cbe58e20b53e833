import Router from '@koa/router'
import { CreateRoutingRuleSchema, ExplainRoutingSchema, PreviewRoutingRuleSchema, STAFF_ROLES, UpdateRoutingRuleSchema, type RoutingDecisionView } from '@palm/shared'
import type { AppDeps } from '../../deps'
import { withTx } from '../../db/tx'
import { requireRole } from '../../http/auth'
import { parseBody } from '../../http/validate'
import { explainRoute } from './explain'
import { invalidateRoutingReference } from './reference-data'
import { previewRuleChange } from './rules-preview'
import { createRule, deleteRule, listRules, presentRule, updateRule } from './rules.service'

/**
 * /api/routing: `explain` answers where a ticket would go, for any staff member, creating nothing;
 * the category rules are data the district admin edits here (a street admin may read them), with
 * `preview`, the replay of a change over recent tickets before it is saved (docs/console.md).
 */
export function createRoutingRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/routing' })

  router.post('/explain', async function explainRouteRoute(ctx) {
    requireRole(ctx, STAFF_ROLES)
    const input = parseBody(ctx, ExplainRoutingSchema)
    const decision: RoutingDecisionView = await explainRoute(deps.ds.manager, deps, input)
    ctx.body = decision
  })

  router.get('/rules', async function listRulesRoute(ctx) {
    requireRole(ctx, ['district_admin', 'street_admin'])
    ctx.body = (await listRules(deps.ds.manager)).map(presentRule)
  })

  router.post('/rules/preview', async function previewRuleRoute(ctx) {
    requireRole(ctx, ['district_admin'])
    const input = parseBody(ctx, PreviewRoutingRuleSchema)
    ctx.body = await previewRuleChange(deps.ds.manager, deps, input)
  })

  router.post('/rules', async function createRuleRoute(ctx) {
    requireRole(ctx, ['district_admin'])
    const input = parseBody(ctx, CreateRoutingRuleSchema)
    try {
      ctx.body = presentRule(await withTx(deps.ds, (em) => createRule(em, input, deps.now())))
      ctx.status = 201
    } finally {
      // After the commit (or the rollback): new submissions on this instance follow the rule at once.
      invalidateRoutingReference(deps.ds)
    }
  })

  router.patch('/rules/:id', async function updateRuleRoute(ctx) {
    requireRole(ctx, ['district_admin'])
    const input = parseBody(ctx, UpdateRoutingRuleSchema)
    try {
      ctx.body = presentRule(await withTx(deps.ds, (em) => updateRule(em, String(ctx.params.id), input, deps.now())))
    } finally {
      invalidateRoutingReference(deps.ds)
    }
  })

  router.delete('/rules/:id', async function deleteRuleRoute(ctx) {
    requireRole(ctx, ['district_admin'])
    try {
      await withTx(deps.ds, (em) => deleteRule(em, String(ctx.params.id)))
      ctx.status = 204
    } finally {
      invalidateRoutingReference(deps.ds)
    }
  })

  return router
}
