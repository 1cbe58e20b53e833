import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProblemSchema } from '@palm/shared'
import { createTestContext, type TestContext } from '../../test/test-app'
import { LOGIN_ATTEMPTS_PER_MINUTE } from '../modules/auth/index'

// The sign-in throttle behind proxies (issue 15, point 5): the address is the one the trusted proxy
// saw, TRUST_PROXY_HOPS entries from the right of X-Forwarded-For, whatever the client writes left of it.

let oneHop: TestContext
let twoHops: TestContext
let direct: TestContext
beforeAll(async () => {
  oneHop = await createTestContext({ trustProxy: true, trustProxyHops: 1 })
  twoHops = await createTestContext({ trustProxy: true, trustProxyHops: 2 })
  direct = await createTestContext({ trustProxy: false })
})
afterAll(async () => {
  await Promise.all([oneHop.close(), twoHops.close(), direct.close()])
})

let seq = 0
/** An address the client made up, different every time (what a bypass would send). */
const madeUp = () => `10.${(++seq >> 16) & 255}.${(seq >> 8) & 255}.${seq & 255}`

const attempt = (t: TestContext, forwardedFor: string) =>
  request(t.server)
    .post('/api/auth/staff')
    .set('X-Forwarded-For', forwardedFor)
    .send({ username: 'spray', password: `Spray#Pass-${seq}` })

async function statuses(t: TestContext, header: () => string, count: number): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < count; i++) out.push((await attempt(t, header())).status)
  return out
}

describe('the client address behind a load balancer', () => {
  it('throttles 60 attempts from one address whatever X-Forwarded-For entries the client makes up (one proxy)', async () => {
    // The client sends "made-up"; the load balancer appends the address it saw: 203.0.113.7.
    const got = await statuses(oneHop, () => `${madeUp()}, ${madeUp()}, 203.0.113.7`, 60)
    expect(got.filter((s) => s === 401)).toHaveLength(LOGIN_ATTEMPTS_PER_MINUTE)
    expect(got.filter((s) => s === 429)).toHaveLength(60 - LOGIN_ATTEMPTS_PER_MINUTE)
    const last = await attempt(oneHop, `${madeUp()}, 203.0.113.7`)
    expect(ProblemSchema.parse(last.body).code).toBe('rate_limited')
    // Another real client behind the same balancer keeps its own budget.
    expect((await attempt(oneHop, `${madeUp()}, 203.0.113.8`)).status).toBe(401)
  })

  it('takes the entry the outer proxy appended with two proxies (CDN, then load balancer)', async () => {
    // client-written…, address the CDN saw, CDN's address as the load balancer saw it.
    const got = await statuses(twoHops, () => `${madeUp()}, 198.51.100.9, 172.16.${seq & 255}.1`, 60)
    expect(got.filter((s) => s === 429)).toHaveLength(60 - LOGIN_ATTEMPTS_PER_MINUTE)
    expect((await attempt(twoHops, `${madeUp()}, 198.51.100.10, 172.16.0.1`)).status).toBe(401)
  })

  it('ignores X-Forwarded-For entirely without TRUST_PROXY', async () => {
    const got = await statuses(direct, () => madeUp(), LOGIN_ATTEMPTS_PER_MINUTE + 1)
    expect(got.at(-1)).toBe(429)
  })
})
