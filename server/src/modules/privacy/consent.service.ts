import { CITIZEN_ROLES, POLICY_VERSION, type ConsentView, type GiveConsentInput } from '@palm/shared'
import type { Context, Middleware } from 'koa'
import type { AppDeps } from '../../deps'
import { withTx } from '../../db/tx'
import { BadRequestError, ForbiddenError } from '../../errors'
import type { Actor } from '../auth/actor'
import { recordAudit } from '../audit/index'
import { SubscriptionGrant } from '../notifications/notification.entity'
import { appendConsentDecision, currentConsent } from '../auth/consent-records'

/**
 * Records the resident's consent to the privacy notice on the server (PIPL art. 14; docs/security.md
 * PI-4). Only the current version can be agreed to: a client showing an older notice must show the
 * new one first.
 * @throws BadRequestError 400 `policy_version_mismatch`
 */
export async function giveConsent(deps: AppDeps, actor: Actor, input: GiveConsentInput): Promise<ConsentView> {
  if (input.policyVersion !== POLICY_VERSION) {
    throw new BadRequestError('policy_version_mismatch', `Agree to the current privacy notice (${POLICY_VERSION}).`, [
      { path: 'policyVersion', code: 'policy_version_mismatch', message: `The current version is ${POLICY_VERSION}.` }
    ])
  }
  const at = deps.now()
  await withTx(deps.ds, async (em) => {
    await appendConsentDecision(em, actor.id, 'granted', POLICY_VERSION, input.client ?? null, at)
    await recordAudit(em, { action: 'privacy.consent_given', objectType: 'user', objectId: actor.id, detail: { policyVersion: POLICY_VERSION, client: input.client ?? null } })
  })
  return { policyVersion: POLICY_VERSION, at: at.toISOString() }
}

/**
 * Withdraws consent (PIPL art. 15: as easy as giving it). New submissions are refused until it is
 * given again, and the subscribe-message grants (a consent-based feature) are dropped at once.
 */
export async function withdrawConsent(deps: AppDeps, actor: Actor): Promise<void> {
  const at = deps.now()
  await withTx(deps.ds, async (em) => {
    await appendConsentDecision(em, actor.id, 'withdrawn', null, null, at)
    await em.createQueryBuilder().delete().from(SubscriptionGrant).where('user_id = :id', { id: actor.id }).execute()
    await recordAudit(em, { action: 'privacy.consent_withdrawn', objectType: 'user', objectId: actor.id })
  })
}

/** The submissions a resident may make only with a current consent: method and path. */
const SUBMISSIONS: ReadonlyArray<readonly [string, RegExp]> = [
  ['POST', /^\/api\/tickets\/?$/],
  ['POST', /^\/api\/legal\/bookings\/?$/],
  ['POST', /^\/api\/activities\/[^/]+\/signups\/?$/],
  ['POST', /^\/api\/volunteers\/?$/]
]

/** True when the request is one of the submissions that need consent. */
export function needsConsent(ctx: Pick<Context, 'method' | 'path'>): boolean {
  return SUBMISSIONS.some(([method, path]) => ctx.method === method && path.test(ctx.path))
}

/**
 * Refuses a resident's new submissions (reports and tips, bookings, sign-ups, volunteer
 * registration) with 403 `consent_required` while they have no current consent on the server; the
 * mini-program answers by opening the privacy notice. Runs after authentication, before the routes;
 * the sign-in statement of http/auth.ts has already read the granted version (`consentedPolicy`).
 */
export function consentGate(deps: AppDeps): Middleware {
  return async function consentGateMiddleware(ctx, next) {
    const actor = ctx.state.actor as Actor | undefined
    if (actor && (CITIZEN_ROLES as readonly string[]).includes(actor.role) && needsConsent(ctx) && !(await hasCurrentConsent(deps, ctx, actor))) {
      throw new ForbiddenError('Agree to the privacy notice first (POST /api/me/consent).', 'consent_required')
    }
    await next()
  }
}

async function hasCurrentConsent(deps: AppDeps, ctx: Context, actor: Actor): Promise<boolean> {
  const readAtSignIn = ctx.state.consentedPolicy as string | null | undefined
  if (readAtSignIn !== undefined) return readAtSignIn === POLICY_VERSION
  return (await currentConsent(deps.ds.manager, actor.id)) !== null
}
