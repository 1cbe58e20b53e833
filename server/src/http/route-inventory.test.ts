import Router from '@koa/router'
import { ProblemSchema } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, createUser } from '../../test/factories'
import { concretePath, registeredRoutes, routeKey, type RegisteredRoute } from '../../test/security-factories'
import { createTestContext, type TestContext } from '../../test/test-app'
import { createApp } from '../app'
import type { User } from '../modules/auth/user.entity'
import { requireRole } from './auth'

/*
 * docs/security.md API5-1 (deny by default) and API2-2 (no token in the URL), checked over the live route
 * table: every route that health and the module routers register is either in PUBLIC_ROUTES below,
 * with the reason it needs no sign-in, or answers 401 problem+json to a caller without a token. A
 * route added later without a guard fails this file, whichever module adds it.
 */

/** Routes that answer without sign-in, each with its reason (api.md and the module's own doc). */
const PUBLIC_ROUTES: Record<string, string> = {
  // Probes of the orchestrator (api.md "Health"); they say nothing but ok / not ready.
  'GET /livez': 'liveness probe',
  'GET /readyz': 'readiness probe',
  // Reference data the pickers and the map need before anyone signs in; no personal data.
  'GET /api/territory/streets': 'street picker',
  'GET /api/territory/communities': 'community picker',
  'GET /api/territory/departments': 'department names',
  'GET /api/territory/grids': 'grid outlines for the map',
  'GET /api/territory/locate': 'point → street/community/grid, before filing',
  'GET /api/map/grids': "the map's grid layer (GeoJSON), no personal data",
  // Signing in cannot require being signed in. Refresh and logout carry their credential, the
  // refresh token, in the body (an expired access token must still be able to log out).
  'POST /api/auth/wechat': 'sign-in (mini-program code)',
  'POST /api/auth/wechat-web': 'sign-in (H5 OAuth code)',
  'POST /api/auth/staff': 'sign-in (password + TOTP)',
  'POST /api/auth/demo': 'sign-in (demo personas; the route exists only in demo mode)',
  'POST /api/auth/refresh': 'the refresh token is the credential',
  'POST /api/auth/logout': 'the refresh token is the credential; ending a session needs no access token',
  // The sign-in page asks the server's mode and sign-in methods first (docs/accounts-and-duty.md).
  'GET /api/meta': 'demo mode, sign-in methods, privacy policy version',
  // The submission form lists categories before sign-in (sla.routes.ts); editing them is guarded.
  'GET /api/tickets/categories': 'categories and their time limits',
  // The public board (api.md: "no sign-in"), masked.
  'GET /api/public/tickets': 'published replies, personal data masked',
  // A photo URL is signed (HMAC over id and expiry): the signature is the credential (uploads.routes.ts).
  'GET /api/uploads/:id/content': 'signed, short-lived photo URL',
  // Resident services' public information (api.md "Services"): where to test, where to get advice.
  'GET /api/testing-points': 'testing points, nearest first',
  'GET /api/testing-points/:id': 'one testing point',
  'GET /api/legal/stations': 'legal service stations',
  'GET /api/legal/stations/:id': 'one station with its providers',
  'GET /api/legal/slots': 'free consultation slots',
  // The anti-fraud alliance's public face: activities (venue code only for organisers), the
  // leaderboard (names masked), and the alerts feed.
  'GET /api/activities': 'volunteer activities',
  'GET /api/activities/:id': 'one activity (no venue code without sign-in)',
  'GET /api/volunteers/leaderboard': 'monthly leaderboard, names masked',
  'GET /api/anti-fraud/alerts': 'anti-fraud alerts feed',
  // A place's printed QR code (docs/places-and-grids.md): the signed, expiring scene is the credential;
  // the answer is what the sticker on the wall already says (place name, point, grid, address).
  'GET /api/places/scene/:scene': 'signed place code → the place to prefill the report form',
  // Open311 GeoReport v2 (docs/open311.md): public by design, as the standard has it. The reads show
  // only what the public board shows; POST requests carries its credential, the api_key, in the form.
  'GET /open311/v2/discovery.:format': 'Open311 service discovery',
  'GET /open311/v2/services.:format': 'Open311 service list',
  'GET /open311/v2/services/:code.:format': 'Open311 service definition',
  'GET /open311/v2/requests.:format': 'Open311 requests, as the public board shows them',
  'GET /open311/v2/requests/:id.:format': 'Open311 one request, as the public board shows it',
  'POST /open311/v2/requests.:format': 'the api_key in the form is the credential (403 without it)'
}

/**
 * Signed-in routes a resident or volunteer may use (their own tickets, messages, bookings, sign-ups).
 * Every other protected route is staff-only and must deny a citizen's token (403 function level, or
 * 404 where the object check answers first), whatever the body.
 */
const CITIZEN_ROUTES = new Set([
  'GET /api/me',
  'POST /api/me/password',
  // residents' data rights (docs/residents-data.md): each acts on the caller only
  'POST /api/me/consent',
  'DELETE /api/me/consent',
  'GET /api/me/export',
  'DELETE /api/me',
  'POST /api/tickets',
  'GET /api/tickets',
  'GET /api/tickets/nearby',
  'GET /api/tickets/:id',
  'POST /api/tickets/:id/transitions',
  'POST /api/tickets/:id/follow',
  'DELETE /api/tickets/:id/follow',
  'POST /api/uploads',
  'GET /api/messages',
  'GET /api/messages/unread-count',
  'POST /api/messages/read',
  'GET /api/messages/subscriptions',
  'POST /api/messages/subscriptions',
  'POST /api/tickets/:id/support',
  'GET /api/tickets/:id/support',
  'GET /api/testing-points/requests',
  'POST /api/legal/bookings',
  'GET /api/legal/bookings',
  'GET /api/legal/bookings/:id',
  'POST /api/legal/bookings/:id/cancel',
  'POST /api/legal/bookings/:id/reschedule',
  'POST /api/volunteers',
  'GET /api/volunteers/me',
  'GET /api/volunteers/me/record',
  'POST /api/activities/:id/signups',
  'POST /api/activities/:id/signups/cancel',
  'POST /api/activities/:id/checkin',
  'POST /api/activities/:id/checkout',
  // 我的网格 (docs/places-and-grids.md): the caller's own grid, its workers' public numbers
  'GET /api/my-grid'
])

/**
 * Routes that validate the body before the object check (a bad body is a 400 to anyone, which says
 * nothing about the object); citizens are sent a valid body there, which must then be denied.
 */
const VALID_BODIES: Record<string, object> = {
  'POST /api/legal/bookings/:id/record': { summary: '咨询记录' }
}

let t: TestContext
let routes: RegisteredRoute[]
let admin: User
let adminToken: string

beforeAll(async () => {
  t = await createTestContext()
  routes = registeredRoutes(t.deps)
  admin = await createUser(t.db.ds, 'district_admin', { displayName: '区管理员' })
  adminToken = bearer(t.deps.config, admin).replace(/^Bearer /, '')
})
afterAll(async () => {
  await t.close()
})

/** What a public route is sent when probed: its credential where the body carries one. */
const PUBLIC_PROBE_BODIES: Record<string, object> = {
  'POST /api/auth/logout': { refreshToken: 'a-refresh-token-nobody-holds' }
}

function send(route: RegisteredRoute, url: string, body: object = {}, server: TestContext['server'] = t.server) {
  const agent = request(server)
  switch (route.method) {
    case 'GET':
      return agent.get(url)
    case 'POST':
      return agent.post(url).send(body)
    case 'PATCH':
      return agent.patch(url).send(body)
    case 'PUT':
      return agent.put(url).send(body)
    case 'DELETE':
      return agent.delete(url)
    default:
      throw new Error(`no sender for ${route.method} (add one, then classify the route)`)
  }
}

const isPublic = (r: RegisteredRoute) => routeKey(r) in PUBLIC_ROUTES
const protectedRoutes = () => routes.filter((r) => !isPublic(r))

describe('the route table', () => {
  it('is read from the routers: every module and health are there', () => {
    const keys = new Set(routes.map(routeKey))
    for (const sample of ['GET /livez', 'POST /api/tickets', 'GET /api/hazards/export.csv', 'POST /api/legal/bookings', 'GET /api/messages', 'GET /api/public/tickets']) {
      expect(keys).toContain(sample)
    }
    expect(routes.length).toBeGreaterThan(80)
  })

  it('names no public route that does not exist (the allow-list has no stale entries)', () => {
    const keys = new Set(routes.map(routeKey))
    expect(Object.keys(PUBLIC_ROUTES).filter((k) => !keys.has(k))).toEqual([])
  })
})

/** The routes among `list` that do not answer 401 problem+json `unauthenticated` without a token. */
async function unguarded(list: RegisteredRoute[], server: TestContext['server'] = t.server): Promise<string[]> {
  const failures: string[] = []
  for (const route of list) {
    const res = await send(route, concretePath(route.path), {}, server)
    const problem = ProblemSchema.safeParse(res.body)
    const ok = res.status === 401 && /application\/problem\+json/.test(String(res.headers['content-type'])) && problem.success && problem.data.code === 'unauthenticated'
    if (!ok) failures.push(`${routeKey(route)} → ${res.status}${problem.success ? ` ${problem.data.code}` : ''}`)
  }
  return failures
}

describe('deny by default (API5-1)', () => {
  it('answers 401 problem+json on every route outside the public list when no token is sent', async () => {
    // A failure here is a route without a guard, or a public route missing from PUBLIC_ROUTES (with its reason).
    expect(await unguarded(protectedRoutes())).toEqual([])
  })

  it('would catch a new route that forgot its guard (the check is not vacuous)', async () => {
    const app = createApp(t.deps)
    const canary = new Router({ prefix: '/api/canary' })
    canary.get('/forgotten', (ctx) => {
      ctx.body = { secret: 'served to anyone' }
    })
    canary.post('/guarded', (ctx) => {
      requireRole(ctx, ['district_admin'])
      ctx.body = { ok: true }
    })
    app.use(canary.routes())
    const canaryRoutes = canary.stack.flatMap((l) => l.methods.filter((m) => m !== 'HEAD').map((method) => ({ method, path: String(l.path) })))
    expect(await unguarded(canaryRoutes, app.callback())).toEqual(['GET /api/canary/forgotten → 200'])
  })

  it('answers 401 to HEAD on every protected GET as well (method tampering)', async () => {
    const failures: string[] = []
    for (const route of protectedRoutes().filter((r) => r.method === 'GET')) {
      const res = await request(t.server).head(concretePath(route.path))
      if (res.status !== 401) failures.push(`HEAD ${route.path} → ${res.status}`)
    }
    expect(failures).toEqual([])
  })

  it('really serves the public routes without sign-in (not 401, not 5xx)', async () => {
    const failures: string[] = []
    for (const route of routes.filter(isPublic)) {
      const res = await send(route, concretePath(route.path), PUBLIC_PROBE_BODIES[routeKey(route)])
      if (res.status === 401 || res.status >= 500) failures.push(`${routeKey(route)} → ${res.status}`)
    }
    expect(failures).toEqual([])
  })
})

describe('staff-only routes deny citizens (API5-1, API5-3)', () => {
  it('lists only routes that exist as citizen routes', () => {
    const keys = new Set(routes.map(routeKey))
    expect([...CITIZEN_ROUTES].filter((k) => !keys.has(k))).toEqual([])
  })

  it.each(['resident', 'volunteer'] as const)('answers a %s 403 or 404 on every other protected route', async (role) => {
    const citizen = await createUser(t.db.ds, role)
    const failures: string[] = []
    for (const route of protectedRoutes().filter((r) => !CITIZEN_ROUTES.has(routeKey(r)))) {
      const res = await send(route, concretePath(route.path), VALID_BODIES[routeKey(route)]).set('Authorization', bearer(t.deps.config, citizen))
      if (res.status !== 403 && res.status !== 404) failures.push(`${routeKey(route)} → ${res.status}`)
    }
    expect(failures).toEqual([])
  })
})

describe('tokens travel only in the Authorization header (API2-2, API2-5)', () => {
  it('sanity: the district admin’s token opens a protected route from the header', async () => {
    const res = await request(t.server).get('/api/me').set('Authorization', `Bearer ${adminToken}`)
    expect(res.status).toBe(200)
  })

  it('refuses a valid token in ?token= or ?access_token= on every protected route (401)', async () => {
    const failures: string[] = []
    for (const route of protectedRoutes()) {
      for (const param of ['token', 'access_token']) {
        const res = await send(route, `${concretePath(route.path)}?${param}=${encodeURIComponent(adminToken)}`)
        if (res.status !== 401) failures.push(`${routeKey(route)}?${param}= → ${res.status}`)
      }
    }
    expect(failures).toEqual([])
  })

  it('refuses a valid token in X-Api-Key, a cookie or a body field (401)', async () => {
    const attempts = [
      request(t.server).get('/api/me').set('X-Api-Key', adminToken),
      request(t.server).get('/api/me').set('Cookie', `token=${adminToken}; access_token=${adminToken}`),
      request(t.server).get('/api/stats?level=district').set('X-Access-Token', adminToken),
      request(t.server).post('/api/routing/explain').send({ accessToken: adminToken, token: adminToken, category: 'sanitation', communityCode: '140213066001' })
    ]
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(401)
      expect(ProblemSchema.parse(res.body).code).toBe('unauthenticated')
    }
  })

  it('refuses an Authorization header that is not a Bearer token of ours (401 invalid_token)', async () => {
    for (const header of [`Token ${adminToken}`, `Bearer ${adminToken}x`, `Basic ${Buffer.from('admin:admin').toString('base64')}`]) {
      const res = await request(t.server).get('/api/me').set('Authorization', header)
      expect(res.status).toBe(401)
      expect(ProblemSchema.parse(res.body).code).toBe('invalid_token')
    }
  })
})
