import { Open311AttributeSchema, Open311ErrorSchema, Open311PostedSchema, Open311RequestViewSchema, Open311ServiceDefinitionSchema, Open311ServiceSchema } from '@palm/shared'
import { XMLParser } from 'fast-xml-parser'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { MONDAY_MORNING, createTicketWorld, fireOk, type TicketWorld } from '../../../test/tickets-factories'
import { bearer } from '../../../test/factories'
import { Publication, checkPendingPublicationsOnce } from '../publication/index'
import { createWeChatClient } from '../wechat/index'
import { Ticket } from '../tickets/index'
import { Open311Request } from './open311.entity'
import { makeKey, postForm } from './open311.test-helpers'

/*
 * GeoReport v2 conformance (spec: wiki.open311.org/GeoReport_v2 and Service Discovery), written from
 * the spec's field tables: discovery → services → service definition → POST a request with a key →
 * read it back in JSON and XML, with its status and, once staff resolved it and it was published,
 * the published reply as status_notes.
 */

let t: TestContext
let w: TicketWorld
let key: string
const xml = new XMLParser({ parseTagValue: false, isArray: (name) => ['service', 'attribute', 'value', 'request', 'endpoint', 'format', 'error'].includes(name) })
const W3C_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/

beforeAll(async () => {
  t = await createTestContext()
  w = await createTicketWorld(t.db.ds)
  t.setNow(MONDAY_MORNING)
  key = (await makeKey(t, w.users.DA)).key
})
afterAll(async () => {
  await t.close()
})

describe('service discovery', () => {
  it('answers discovery.json with changeset, contact, key_service and a GeoReport v2 endpoint in both formats', async () => {
    const res = await request(t.server).get('/open311/v2/discovery.json')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    const body = z
      .object({
        changeset: z.string(),
        contact: z.string(),
        key_service: z.string(),
        endpoints: z.array(z.object({ specification: z.string(), url: z.string(), changeset: z.string(), type: z.string(), formats: z.array(z.string()) }))
      })
      .parse(res.body)
    expect(body.endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', type: 'production', formats: ['text/xml', 'application/json'] })
    expect(body.endpoints[0]?.url).toMatch(/^https?:\/\/[^/]+\/open311\/v2$/)
  })

  it('answers discovery.xml as <discovery> with <endpoints><endpoint><formats><format>', async () => {
    const res = await request(t.server).get('/open311/v2/discovery.xml')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8')
    const doc = xml.parse(res.text) as { discovery: { endpoints: { endpoint: { formats: { format: string[] }; specification: string }[] } } }
    expect(doc.discovery.endpoints.endpoint[0]?.formats.format).toEqual(['text/xml', 'application/json'])
  })
})

describe('services', () => {
  it('lists one realtime service per report category and tip-off category, with group, keywords and metadata', async () => {
    const res = await request(t.server).get('/open311/v2/services.json')
    expect(res.status).toBe(200)
    const services = z.array(Open311ServiceSchema.strict()).parse(res.body)
    const codes = services.map((s) => s.service_code)
    expect(codes).toEqual(expect.arrayContaining(['sanitation', 'public_facilities', 'telecom_fraud', 'fire']))
    expect(codes).not.toContain('legal_consultation')
    expect(codes).not.toContain('testing_point_request')
    expect(services.every((s) => s.type === 'realtime')).toBe(true)
    expect(services.find((s) => s.service_code === 'sanitation')).toMatchObject({ metadata: false, group: '随手拍' })
    expect(services.find((s) => s.service_code === 'telecom_fraud')).toMatchObject({ metadata: true, group: '诈骗线索' })
  })

  it('lists the same services in services.xml as <services><service>', async () => {
    const res = await request(t.server).get('/open311/v2/services.xml')
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8')
    const doc = xml.parse(res.text) as { services: { service: Record<string, string>[] } }
    const json = (await request(t.server).get('/open311/v2/services.json')).body as unknown[]
    expect(doc.services.service).toHaveLength(json.length)
    expect(doc.services.service[0]).toMatchObject({ service_code: 'sanitation', metadata: 'false', type: 'realtime' })
  })

  it('defines a fraud tip’s attributes (phone, url…) from the shared tip-off schema, and none for a report', async () => {
    const res = await request(t.server).get('/open311/v2/services/telecom_fraud.json')
    expect(res.status).toBe(200)
    const def = Open311ServiceDefinitionSchema.parse(res.body)
    const phone = def.attributes.find((a) => a.code === 'phone')
    expect(Open311AttributeSchema.strict().parse(phone)).toMatchObject({ variable: true, datatype: 'string', required: false })
    expect(def.attributes.map((a) => a.code)).toEqual(expect.arrayContaining(['phone', 'url', 'amountLost']))
    expect(def.attributes.find((a) => a.code === 'amountLost')?.datatype).toBe('number')
    const report = Open311ServiceDefinitionSchema.parse((await request(t.server).get('/open311/v2/services/sanitation.json')).body)
    expect(report.attributes).toEqual([])
  })

  it('defines a list attribute in XML with <values><value><key>/<name>', async () => {
    const res = await request(t.server).get('/open311/v2/services/fire.xml')
    const doc = xml.parse(res.text) as {
      service_definition: { service_code: string; attributes: { attribute: { code: string; datatype: string; values?: { value: { key: string; name: string }[] } }[] } }
    }
    const kind = doc.service_definition.attributes.attribute.find((a) => a.code === 'hazardKind')
    expect(kind?.datatype).toBe('singlevaluelist')
    expect(kind?.values?.value.map((v) => v.key)).toContain('fire')
  })
})

describe('a request, posted with a key and read back', () => {
  const REPORT = '我是李小明，电话13812341234，永和小区3号楼门口垃圾三天没人清运。'
  const REPLY = '已联系物业清运，如有问题请拨打13900001111。'
  let id = ''

  it('files a ticket through the submission path, channel open311, and answers [{service_request_id, service_notice, account_id}]', async () => {
    const res = await postForm(t, { api_key: key, service_code: 'sanitation', lat: String(w.g1.center.lat), long: String(w.g1.center.lng), description: REPORT })
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    const [posted] = z.array(Open311PostedSchema).length(1).parse(res.body)
    id = posted?.service_request_id ?? ''
    const ticket = await t.db.ds.getRepository(Ticket).findOneByOrFail({ number: id })
    expect(ticket).toMatchObject({ kind: 'report', category: 'sanitation', communityCode: w.ca.code, state: 'assigned', allowPublication: true })
    expect(await t.db.ds.getRepository(Open311Request).findOneBy({ ticketId: ticket.id })).toMatchObject({ channel: 'open311' })
  })

  it('is 404 by id to anyone without the key before publication, and status + service_code only to its key', async () => {
    expect((await request(t.server).get(`/open311/v2/requests/${id}.json`)).status).toBe(404)
    const res = await request(t.server).get(`/open311/v2/requests/${id}.json`).query({ api_key: key })
    expect(res.status).toBe(200)
    const [row] = z.array(Open311RequestViewSchema.strict()).parse(res.body)
    expect(row).toMatchObject({ service_request_id: id, status: 'open', service_code: 'sanitation', description: null, address: null, lat: null, long: null, status_notes: null })
    expect(row?.requested_datetime).toMatch(W3C_WITH_ZONE)
  })

  it('after staff resolve it and it is published, shows status closed, the published reply as status_notes, masked text, community and its centre — JSON and XML alike', async () => {
    const ticket = await t.db.ds.getRepository(Ticket).findOneByOrFail({ number: id })
    const worker = ticket.assigneeId === w.users.W1b.id ? w.users.W1b : w.users.W1
    await fireOk(t, worker, ticket.id, { event: 'accept' })
    await fireOk(t, worker, ticket.id, { event: 'reply', note: REPLY })
    await fireOk(t, worker, ticket.id, { event: 'resolve' })
    // The key's account has no WeChat openid, so the content check holds the copy (no_openid) and
    // the community's staff release it from the review queue (公开审核).
    await checkPendingPublicationsOnce(t.deps, createWeChatClient(t.deps.config), { instanceId: 'test' })
    expect((await t.db.ds.getRepository(Publication).findOneByOrFail({ ticketId: ticket.id })).state).toBe('held')
    const release = await request(t.server).post(`/api/publication/review/${ticket.id}/release`).set('Authorization', bearer(t.deps.config, w.users.CSA)).send({})
    expect(release.status).toBe(200)

    const res = await request(t.server).get(`/open311/v2/requests/${id}.json`)
    expect(res.status).toBe(200)
    const [row] = z.array(Open311RequestViewSchema.strict()).parse(res.body)
    expect(row).toMatchObject({ status: 'closed', service_name: '环境卫生', address: '永和社区', agency_responsible: '永和社区' })
    expect(row?.status_notes).toContain('139****1111')
    expect(row?.status_notes).not.toContain('13900001111')
    expect(row?.description).not.toContain('13812341234')
    expect(row?.lat).toBeCloseTo(40.055, 2)
    for (const at of [row?.requested_datetime, row?.updated_datetime, row?.expected_datetime]) expect(at).toMatch(W3C_WITH_ZONE)

    const x = await request(t.server).get(`/open311/v2/requests/${id}.xml`)
    expect(x.headers['content-type']).toBe('text/xml; charset=utf-8')
    const doc = xml.parse(x.text) as { service_requests: { request: Record<string, string>[] } }
    expect(doc.service_requests.request[0]).toMatchObject({
      service_request_id: id,
      status: 'closed',
      status_notes: row?.status_notes,
      description: row?.description,
      requested_datetime: row?.requested_datetime
    })
  })

  it('lists it in GET requests (default window, service_code, status, id list) and not under status=open', async () => {
    const ids = async (query: Record<string, string>) =>
      z
        .array(Open311RequestViewSchema)
        .parse((await request(t.server).get('/open311/v2/requests.json').query(query)).body)
        .map((r) => r.service_request_id)
    expect(await ids({})).toContain(id)
    expect(await ids({ service_code: 'sanitation', status: 'closed' })).toContain(id)
    expect(await ids({ status: 'open' })).not.toContain(id)
    expect(await ids({ service_request_id: `${id},PC00000000-NOPE`, status: 'open' })).toEqual([id])
    const x = await request(t.server).get('/open311/v2/requests.xml')
    expect((xml.parse(x.text) as { service_requests: { request: { service_request_id: string }[] } }).service_requests.request.map((r) => r.service_request_id)).toContain(id)
  })

  it('answers a POST to requests.xml in XML (<service_requests><request>) and a tip with its attributes', async () => {
    const res = await postForm(
      t,
      {
        api_key: key,
        service_code: 'telecom_fraud',
        lat: String(w.g1.center.lat),
        long: String(w.g1.center.lng),
        description: '接到冒充客服电话要求转账',
        'attribute[phone]': '13800001111',
        'attribute[amountLost]': '0'
      },
      'xml'
    )
    expect(res.status).toBe(200)
    const doc = xml.parse(res.text) as { service_requests: { request: { service_request_id: string }[] } }
    const tipId = doc.service_requests.request[0]?.service_request_id ?? ''
    const tip = await t.db.ds.getRepository(Ticket).findOneByOrFail({ number: tipId })
    expect(JSON.parse(tip.details ?? '{}')).toEqual({ phone: '13800001111', amountLost: 0 })
    // A tip is never public: 404 without the key, state only with it, and never listed.
    expect((await request(t.server).get(`/open311/v2/requests/${tipId}.json`)).status).toBe(404)
    const own = z.array(Open311RequestViewSchema).parse((await request(t.server).get(`/open311/v2/requests/${tipId}.json`).query({ api_key: key })).body)
    expect(own[0]).toMatchObject({ status: 'open', description: null })
    const listed = z.array(Open311RequestViewSchema).parse((await request(t.server).get('/open311/v2/requests.json').query({ service_request_id: tipId })).body)
    expect(listed).toEqual([])
  })

  it('answers errors as the spec’s array of {code, description}', async () => {
    const res = await request(t.server).get('/open311/v2/services/nope.json')
    expect(res.status).toBe(404)
    expect(z.array(Open311ErrorSchema).min(1).parse(res.body)[0]?.code).toBe(404)
  })
})
