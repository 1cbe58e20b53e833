import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../../../test/test-app'

/* The HTTP edge of /open311/v2: the H5 app shell never answers for it, and the headers fit XML and JSON alike. */

let t: TestContext
let h5Dir: string

beforeAll(async () => {
  h5Dir = mkdtempSync(path.join(tmpdir(), 'palm-h5-'))
  writeFileSync(path.join(h5Dir, 'index.html'), '<!doctype html><title>app shell</title>')
  t = await createTestContext({ h5Dir })
})
afterAll(async () => {
  await t.close()
  rmSync(h5Dir, { recursive: true, force: true })
})

describe('the Open311 edge', () => {
  it('is answered by Open311, never by the H5 app shell, even with a build present', async () => {
    const res = await request(t.server).get('/open311/v2/services.xml')
    expect(res.status).toBe(200)
    expect(res.text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><services>/)
    const unknown = await request(t.server).get('/open311/v2/nothing-here')
    expect(unknown.text).not.toContain('app shell')
    expect(unknown.status).toBe(404)
  })

  it('sends XML with text/xml; charset=utf-8, nosniff and CORS for any origin (public data, no credentials)', async () => {
    const res = await request(t.server).get('/open311/v2/discovery.xml').set('Origin', 'https://example.org')
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['access-control-allow-origin']).toBe('*')
    expect(res.headers['access-control-allow-credentials']).toBeUndefined()
  })

  it('answers an unknown format with the spec’s error array (404)', async () => {
    const res = await request(t.server).get('/open311/v2/services.html')
    expect(res.status).toBe(404)
    expect(res.body).toEqual([{ code: 404, description: 'Use .json or .xml.' }])
  })
})
