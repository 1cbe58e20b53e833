import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProblemSchema } from '@palm/shared'
import { createTestContext, type TestContext } from '../../test/test-app'

let t: TestContext
beforeAll(async () => {
  t = await createTestContext()
})
afterAll(async () => {
  await t.close()
})

describe('health', () => {
  it('answers /livez with 200', async () => {
    const res = await request(t.server).get('/livez')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ status: 'ok' })
  })

  it('answers /readyz with 200 while the database answers', async () => {
    const res = await request(t.server).get('/readyz')
    expect(res.status).toBe(200)
    expect(res.body.status).toBe('ok')
  })
})

describe('the one error path', () => {
  it('returns problem+json 404 not_found for an unknown path, with a request id', async () => {
    const res = await request(t.server).get('/api/no-such-thing')
    expect(res.status).toBe(404)
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
    const body = ProblemSchema.parse(res.body)
    expect(body.code).toBe('not_found')
    expect(body.requestId).toBe(res.headers['x-request-id'])
  })

  it('sets security headers on every response', async () => {
    const res = await request(t.server).get('/livez')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['content-security-policy']).toContain("default-src 'self'")
  })

  it('sends no CORS headers to an origin that is not configured', async () => {
    const res = await request(t.server).get('/livez').set('Origin', 'https://evil.example')
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })
})
