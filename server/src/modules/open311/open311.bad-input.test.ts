import { Open311ErrorSchema } from '@palm/shared'
import { XMLParser } from 'fast-xml-parser'
import request from 'supertest'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { bearer } from '../../../test/factories'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { insertTicketRow } from '../../../test/routing-factories'
import { MONDAY_MORNING, createTicketWorld, type TicketWorld } from '../../../test/tickets-factories'
import { withWrite } from '../../db/tx'
import { Publication } from '../publication/index'
import { Ticket } from '../tickets/index'
import { Open311Key, Open311Request } from './open311.entity'
import { makeKey, postForm } from './open311.test-helpers'

/*
 * The bad input, each refused with its status, the spec's error array, and nothing written
 * (no ticket, no Open311 row).
 */

let t: TestContext
let w: TicketWorld
let key: string
const ErrorsSchema = z.array(Open311ErrorSchema).min(1)

beforeAll(async () => {
  t = await createTestContext()
  w = await createTicketWorld(t.db.ds)
  key = (await makeKey(t, w.users.DA)).key
})
afterAll(async () => {
  await t.close()
})
beforeEach(() => {
  t.setNow(MONDAY_MORNING)
})

const counts = async () => [await t.db.ds.getRepository(Ticket).count(), await t.db.ds.getRepository(Open311Request).count()]
const valid = (): Record<string, string> => ({ api_key: key, service_code: 'sanitation', lat: String(w.g1.center.lat), long: String(w.g1.center.lng), description: '路灯坏了' })

/** Posts `fields`, insists on `status` with the error array and that nothing was written; returns the descriptions. */
async function refused(fields: Record<string, string>, status: number): Promise<string> {
  const before = await counts()
  const res = await postForm(t, fields)
  expect(res.status).toBe(status)
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
  const errors = ErrorsSchema.parse(res.body)
  expect(errors.every((e) => e.code === status)).toBe(true)
  expect(await counts()).toEqual(before)
  return errors.map((e) => e.description).join(' | ')
}

describe('the api_key', () => {
  it('refuses a request without api_key: 403', async () => {
    const { api_key: _omit, ...rest } = valid()
    expect(await refused(rest, 403)).toMatch(/api_key/)
  })

  it('refuses an unknown api_key: 403', async () => {
    await refused({ ...valid(), api_key: 'p311_not-a-key' }, 403)
  })

  it('refuses a revoked api_key: 403, in XML as <errors><error><code>403</code>', async () => {
    const revoked = await makeKey(t, w.users.DA, '已停用的客户端')
    const res = await request(t.server).post(`/api/admin/open311/keys/${revoked.id}/revoke`).set('Authorization', bearer(t.deps.config, w.users.DA))
    expect(res.status).toBe(200)
    await refused({ ...valid(), api_key: revoked.key }, 403)
    const before = await counts()
    const x = await postForm(t, { ...valid(), api_key: revoked.key }, 'xml')
    expect(x.status).toBe(403)
    expect(x.headers['content-type']).toBe('text/xml; charset=utf-8')
    const doc = new XMLParser({ isArray: (n) => n === 'error' }).parse(x.text) as { errors: { error: { code: number; description: string }[] } }
    expect(doc.errors.error[0]?.code).toBe(403)
    expect(await counts()).toEqual(before)
  })

  it('answers 429 in the spec’s format once a key passes its limit per minute', async () => {
    const busy = await makeKey(t, w.users.DA, '忙碌的客户端')
    const statuses: number[] = []
    for (let i = 0; i < 61; i++) statuses.push((await request(t.server).get('/open311/v2/requests/PC00000000-NONE.json').query({ api_key: busy.key })).status)
    expect(statuses.slice(0, 60).every((s) => s === 404)).toBe(true)
    const res = await request(t.server).get('/open311/v2/requests/PC00000000-NONE.json').query({ api_key: busy.key })
    expect(res.status).toBe(429)
    expect(res.headers['retry-after']).toMatch(/^\d+$/)
    expect(ErrorsSchema.parse(res.body)[0]?.code).toBe(429)
    // Every call is counted against the key (the admin list's figure).
    expect((await t.db.ds.getRepository(Open311Key).findOneByOrFail({ id: busy.id })).requestCount).toBe(62)
  })
})

describe('unknown services and ids: 404', () => {
  it('refuses a POST to an unknown service code', async () => {
    await refused({ ...valid(), service_code: 'no_such_service' }, 404)
  })

  it('refuses a POST to a service Open311 does not offer (legal consultations)', async () => {
    await refused({ ...valid(), service_code: 'legal_consultation' }, 404)
  })

  it('answers 404 for an unknown service definition and an unknown request id', async () => {
    for (const path of ['/open311/v2/services/no_such_service.json', '/open311/v2/requests/PC20261130-NOPE00.json']) {
      const res = await request(t.server).get(path)
      expect(res.status).toBe(404)
      expect(ErrorsSchema.parse(res.body)[0]?.code).toBe(404)
    }
  })

  it('answers 404 for a resident’s unpublished ticket, an anonymous tip and a tip — as for an id that does not exist', async () => {
    // Rows as the submission path leaves them (a resident's report not yet published, an anonymous tip).
    const unpublished = await insertTicketRow(t.db.ds, { kind: 'report', category: 'sanitation', reporterId: w.users.R1.id, allowPublication: true, communityCode: w.ca.code })
    const tip = await insertTicketRow(t.db.ds, { kind: 'fraud_tip', category: 'telecom_fraud', reporterId: w.users.R1.id, anonymous: true, communityCode: w.ca.code })
    for (const number of [unpublished.number, tip.number]) {
      const res = await request(t.server).get(`/open311/v2/requests/${number}.json`)
      expect(res.status).toBe(404)
      const listed = await request(t.server).get('/open311/v2/requests.json').query({ service_request_id: number })
      expect(listed.body).toEqual([])
    }
    // Another key does not open what it did not file.
    const other = await makeKey(t, w.users.DA, '另一个客户端')
    expect((await request(t.server).get(`/open311/v2/requests/${unpublished.number}.json`).query({ api_key: other.key })).status).toBe(404)
  })
})

describe('what is never shown', () => {
  it('never lists nor shows a hazard tip, even one with a published copy on the board', async () => {
    const tip = await insertTicketRow(t.db.ds, {
      kind: 'hazard_tip',
      category: 'fire',
      reporterId: w.users.R1.id,
      allowPublication: true,
      communityCode: w.ca.code,
      state: 'resolved',
      createdAt: MONDAY_MORNING
    })
    await withWrite(t.db.ds, (em) =>
      em.getRepository(Publication).insert(
        Object.assign(new Publication(), {
          ticketId: tip.id,
          state: 'published',
          number: tip.number,
          category: 'fire',
          title: '楼道堆放杂物',
          body: '楼道堆放杂物',
          reply: '已清理',
          communityCode: w.ca.code,
          communityName: '永和社区',
          reporterName: '李*',
          rating: null,
          submittedAt: MONDAY_MORNING,
          resolvedAt: MONDAY_MORNING,
          publishedAt: MONDAY_MORNING,
          checkedAt: null,
          checkResult: 'pass',
          checkAttempts: 1,
          nextCheckAt: MONDAY_MORNING,
          claimedBy: null,
          claimedUntil: null,
          lastError: null,
          updatedAt: MONDAY_MORNING
        })
      )
    )
    expect((await request(t.server).get(`/open311/v2/requests/${tip.number}.json`)).status).toBe(404)
    const listed = await request(t.server).get('/open311/v2/requests.json')
    expect(JSON.stringify(listed.body)).not.toContain(tip.number)
  })
})

describe('malformed input: 400', () => {
  it.each<[string, Record<string, string>]>([
    ['lat that is not a number', { lat: '40.05abc' }],
    ['lat out of range', { lat: '95' }],
    ['long in exponent notation', { long: '1.13e2' }]
  ])('refuses %s', async (_name, change) => {
    expect(await refused({ ...valid(), ...change }, 400)).toMatch(/lat|long/)
  })

  it('refuses lat without long', async () => {
    const { long: _long, ...rest } = valid()
    expect(await refused(rest, 400)).toMatch(/lat and long/)
  })

  it('refuses a point outside the district', async () => {
    await refused({ ...valid(), lat: '39.9', long: '116.4' }, 400)
  })

  it('refuses a request without lat/long and an address_string that names no community', async () => {
    const { lat: _lat, long: _long, ...rest } = valid()
    expect(await refused({ ...rest, address_string: '平城区某条街' }, 400)).toMatch(/address_string/)
  })

  it('refuses address_id (no address registry here) and media_url (no photos through Open311 yet)', async () => {
    expect(await refused({ ...valid(), address_id: 'A-1' }, 400)).toMatch(/address_id/)
    expect(await refused({ ...valid(), media_url: 'https://example.org/p.jpg' }, 400)).toMatch(/media_url/)
  })

  it('refuses a description over 4,000 characters', async () => {
    expect(await refused({ ...valid(), description: '很'.repeat(4001) }, 400)).toMatch(/4000/)
  })

  it('refuses a description longer than the ticket’s limit (2,000)', async () => {
    await refused({ ...valid(), description: '很'.repeat(2001) }, 400)
  })

  it('refuses a description with HTML', async () => {
    expect(await refused({ ...valid(), description: '路灯坏了<script>alert(1)</script>' }, 400)).toMatch(/HTML/)
  })

  it('refuses an attribute the service does not define', async () => {
    expect(await refused({ ...valid(), service_code: 'telecom_fraud', 'attribute[colour]': 'red' }, 400)).toMatch(/attribute\[colour\]/)
    await refused({ ...valid(), 'attribute[phone]': '13800001111' }, 400)
  })

  it('refuses an attribute value the shared tip-off schema refuses (a phone that is no number)', async () => {
    await refused({ ...valid(), service_code: 'telecom_fraud', 'attribute[phone]': 'call me' }, 400)
  })

  it('refuses contact fields (email, names, phone): no personal data through Open311', async () => {
    expect(await refused({ ...valid(), email: 'someone@example.org' }, 400)).toMatch(/email/)
    await refused({ ...valid(), first_name: '小明' }, 400)
  })

  it('refuses a JSON body (wrong content type)', async () => {
    const before = await counts()
    const res = await request(t.server).post('/open311/v2/requests.json').send(valid())
    expect(res.status).toBe(400)
    expect(ErrorsSchema.parse(res.body)[0]?.description).toMatch(/x-www-form-urlencoded/)
    expect(await counts()).toEqual(before)
  })

  it('refuses a search window over 90 days, and reversed dates', async () => {
    for (const query of [
      { start_date: '2026-01-01T00:00:00+08:00', end_date: '2026-06-01T00:00:00+08:00' },
      { start_date: '2026-06-01T00:00:00Z', end_date: '2026-05-01T00:00:00Z' },
      { start_date: 'yesterday' },
      { status: 'pending' }
    ]) {
      const res = await request(t.server).get('/open311/v2/requests.json').query(query)
      expect(res.status).toBe(400)
      expect(ErrorsSchema.parse(res.body)[0]?.code).toBe(400)
    }
  })

  it('accepts the same request once it is well-formed (the refusals above were not about something else)', async () => {
    const res = await postForm(t, valid())
    expect(res.status).toBe(200)
  })
})
