import { STAFF_ROLES, type AuditAction } from '@palm/shared'
import type { Context } from 'koa'
import type { DataSource, EntityManager } from 'typeorm'
import { withTx } from '../../db/tx'
import { recordAudit, recordAuditView, type AuditActor } from './audit.service'

function staffActor(ctx: Context): AuditActor | undefined {
  const actor = ctx.state.actor as AuditActor | undefined
  return actor && (STAFF_ROLES as readonly string[]).includes(actor.role) ? actor : undefined
}

/** `POST /api/legal/stations/:id`: the route as registered, so rows of one endpoint group together. */
function routeOf(ctx: Context): string {
  const matched = (ctx as Context & { _matchedRoute?: unknown })._matchedRoute
  return `${ctx.method} ${typeof matched === 'string' ? matched : ctx.path}`
}

function objectIdOf(ctx: Context, result: unknown): string | null {
  const params = (ctx.params ?? {}) as Record<string, string | undefined>
  const fromParams = params.id ?? params.ticketId ?? params.code
  if (fromParams) return fromParams
  const id = result && typeof result === 'object' ? (result as { id?: unknown }).id : undefined
  return typeof id === 'string' ? id : null
}

/**
 * withTx for a route of the resident services (legal, hazards, volunteers, testing points): when a
 * staff member calls it, one `service.write` row (the route, the object) is written in the same
 * transaction after the change; residents' own writes run as plain withTx, with no audit cost.
 */
export function withAuditedTx<T>(ctx: Context, ds: DataSource, objectType: string, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  const actor = staffActor(ctx)
  if (!actor) return withTx(ds, fn)
  return withTx(ds, async (em) => {
    const result = await fn(em)
    await recordAudit(em, { action: 'service.write', objectType, objectId: objectIdOf(ctx, result), detail: { route: routeOf(ctx) }, actor })
    return result
  })
}

/**
 * Records that a staff member read residents' personal data (a booking or volunteer list with
 * phones: `service.view_personal`; a CSV export: `service.export`), before the data is sent.
 * Residents reading their own data are not recorded.
 */
export async function auditStaffRead(
  ctx: Context,
  ds: DataSource,
  action: Extract<AuditAction, 'service.view_personal' | 'service.export' | 'ticket.export'>,
  objectType: string,
  detail: Record<string, unknown> = {}
): Promise<void> {
  const actor = staffActor(ctx)
  if (!actor) return
  const params = (ctx.params ?? {}) as Record<string, string | undefined>
  await recordAuditView(ds, { action, objectType, objectId: params.id ?? null, detail: { route: routeOf(ctx), ...detail }, actor })
}
