import { AsyncLocalStorage } from 'node:async_hooks'
import type { Middleware } from 'koa'
import type { Role, Scope } from '@palm/shared'

/** Who acted, as the row records it; the request's signed-in actor unless the call names one. */
export interface AuditActor {
  id: string
  role: Role | string
  scope?: Scope
}

/**
 * What the audit trail needs to know about the request a write belongs to. Kept in an
 * AsyncLocalStorage for the request's whole life (docs/audit.md "Request context"), so a service
 * deep in a call chain records who/where without every route passing it down: a one-line audit call
 * in a service is enough. `state` is Koa's ctx.state, read when the row is written, so the actor that
 * `authenticate` sets later in the chain is seen.
 */
export interface AuditRequestContext {
  requestId: string | null
  clientAddress: string | null
  state: { actor?: AuditActor }
}

const storage = new AsyncLocalStorage<AuditRequestContext>()

/**
 * Opens the request's audit context; mounted right after the request id (app.ts). ctx.ip is the
 * client as Koa sees it: the socket address, or X-Forwarded-For only behind TRUST_PROXY_HOPS proxies.
 */
export function auditRequestContext(): Middleware {
  return function auditRequestContextMiddleware(ctx, next) {
    const requestId = typeof ctx.state.requestId === 'string' ? ctx.state.requestId : null
    return storage.run({ requestId, clientAddress: ctx.ip || null, state: ctx.state as AuditRequestContext['state'] }, next)
  }
}

/** The current request's context; undefined in jobs and the CLI (their rows carry no request). */
export function currentAuditContext(): AuditRequestContext | undefined {
  return storage.getStore()
}

/** Runs fn inside a given context (the CLI and tests; requests get theirs from the middleware). */
export function runWithAuditContext<T>(context: AuditRequestContext, fn: () => T): T {
  return storage.run(context, fn)
}
