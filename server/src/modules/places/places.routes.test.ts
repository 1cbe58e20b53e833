import { ProblemSchema, type PlaceView } from '@palm/shared'
import jsQR from 'jsqr'
import sharp from 'sharp'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FAKE_WECHAT_APP, fakeWeChatConfig } from '../../../test/auth-factories'
import { bearer } from '../../../test/factories'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { createTicketWorld, fileTicket, reportBody, type TicketWorld } from '../../../test/tickets-factories'
import { AuditEvent } from '../audit/index'
import { convertPoint } from '../../http/coords'
import { User } from '../auth/user.entity'
import { Publication } from '../publication/publication.entity'
import { startFakeWeChatServer, type FakeWeChatServer } from '../wechat/index'
import { makeScene, newPlaceCode } from './place-scene'
import { GridCounts, GridEntry, Place } from './places.entity'

let t: TestContext
let w: TicketWorld
let fake: FakeWeChatServer

beforeAll(async () => {
  fake = await startFakeWeChatServer({ ...FAKE_WECHAT_APP })
  t = await createTestContext({ wechat: fakeWeChatConfig(fake.url, 2000) })
  w = await createTicketWorld(t.db.ds)
})
afterAll(async () => {
  await t.close()
  await fake.close()
})

type Who = keyof TicketWorld['users']
const as = (who: Who) => bearer(t.deps.config, w.users[who])
const get = (who: Who | null, path: string) => {
  const req = request(t.server).get(path)
  return who ? req.set('Authorization', as(who)) : req
}
const send = (method: 'post' | 'put' | 'delete', who: Who, path: string, body?: unknown) => {
  const req = request(t.server)[method](path)
  return req.set('Authorization', as(who)).send(body as object)
}
const problem = (res: request.Response) => ProblemSchema.parse(res.body)
const count = (entity: typeof Place | typeof GridCounts | typeof GridEntry) => t.db.ds.getRepository(entity).count()

/** The first QR code jsQR finds in a PNG (optionally a region of it). */
async function decodeQr(png: Buffer, region?: { left: number; top: number; width: number; height: number }): Promise<string | null> {
  const image = region ? sharp(png).extract(region) : sharp(png)
  const { data, info } = await image.ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height)?.data ?? null
}

async function makePlace(who: Who, point: { lat: number; lng: number }, name = '永和小区3号楼'): Promise<PlaceView> {
  const res = await send('post', who, '/api/places', { name, kind: 'building', point, address: '永和小区3号楼' })
  expect(res.status).toBe(201)
  return res.body as PlaceView
}

const binary = (req: request.Test) =>
  req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = []
    res.on('data', (c: Buffer) => chunks.push(c))
    res.on('end', () => cb(null, Buffer.concat(chunks)))
  })

describe('places (一码通): staff create them in their territory only', () => {
  it('a grid worker makes a place in their grid: the point decides the grid, and the audit trail records it', async () => {
    const place = await makePlace('W1', w.g1.center)
    expect(place).toMatchObject({ name: '永和小区3号楼', kind: 'building', grid: { code: w.g1.code, name: '永和一网格' }, community: { code: w.ca.code } })
    expect(place.code).toMatch(/^[a-z2-9]{8}$/)
    const audit = await t.db.ds.getRepository(AuditEvent).findOneBy({ action: 'place.create', objectId: place.id })
    expect(audit?.actorId).toBe(w.users.W1.id)
  })

  it.each([
    ['W1', 'g2', 'a point in another grid'],
    ['CSB', 'g1', 'another community'],
    ['SA2', 'g1', 'another street']
  ] as const)('%s placing in %s (%s): 404, nothing made', async (who, grid, _why) => {
    const before = await count(Place)
    const res = await send('post', who, '/api/places', { name: '别处', kind: 'shop', point: w[grid].center })
    expect(res.status).toBe(404)
    expect(problem(res).code).toBe('not_found')
    expect(await count(Place)).toBe(before)
  })

  it('refuses residents and department staff (403) and a point outside the district (out_of_district)', async () => {
    const before = await count(Place)
    expect((await send('post', 'R1', '/api/places', { name: 'x', kind: 'shop', point: w.g1.center })).status).toBe(403)
    expect((await send('post', 'DEP', '/api/places', { name: 'x', kind: 'shop', point: w.g1.center })).status).toBe(403)
    const outside = await send('post', 'DA', '/api/places', { name: 'x', kind: 'shop', point: { lat: 39.9, lng: 116.4 } })
    expect(problem(outside).code).toBe('out_of_district')
    const bad = await send('post', 'DA', '/api/places', { name: 'x', kind: 'castle', point: { lat: '40.05', lng: 113.25 } })
    expect(bad.status).toBe(400)
    expect(
      problem(bad)
        .errors?.map((e) => e.path)
        .sort()
    ).toEqual(['kind', 'point.lat'])
    expect(await count(Place)).toBe(before)
  })

  it('takes a point in another declared system (GCJ-02 from WeChat’s map), stores it in WGS-84 and says so; an unknown system is 400', async () => {
    const gcj = convertPoint(w.g1.center, 'wgs84', 'gcj02')
    const res = await send('post', 'W1', '/api/places', { name: '地图选点楼', kind: 'building', point: { ...gcj, coordSystem: 'gcj02' } })
    expect(res.status).toBe(201)
    expect(res.body.grid.code).toBe(w.g1.code)
    expect(res.body.point.coordSystem).toBe('wgs84')
    expect(res.body.point.lat).toBeCloseTo(w.g1.center.lat, 5)
    expect(res.body.point.lng).toBeCloseTo(w.g1.center.lng, 5)
    const before = await count(Place)
    const bad = await send('post', 'W1', '/api/places', { name: 'x', kind: 'building', point: { ...w.g1.center, coordSystem: 'utm' } })
    expect(problem(bad).errors?.map((e) => e.path)).toEqual(['point.coordSystem'])
    expect(await count(Place)).toBe(before)
  })

  it('reads and lists places only in scope (404 outside)', async () => {
    const place = await makePlace('CSA', w.g2.center, '永和二网格超市')
    expect((await get('CSA', `/api/places/${place.id}`)).body).toMatchObject({ id: place.id })
    expect((await get('W2', `/api/places?grid=${w.g2.code}`)).body.items.map((p: PlaceView) => p.id)).toContain(place.id)
    for (const who of ['W1', 'CSB', 'SA2'] as const) {
      expect((await get(who, `/api/places/${place.id}`)).status).toBe(404)
      expect((await get(who, `/api/places/${place.id}/code`)).status).toBe(404)
    }
    expect((await get('W1', `/api/places?grid=${w.g2.code}`)).status).toBe(404)
    expect((await get('W1', `/api/grids/${w.g2.code}/places/sheet.png`)).status).toBe(404)
  })
})

describe('place QR codes and their scenes', () => {
  it('an H5 code holds the report form address with a signed scene that resolves to the place, grid and address', async () => {
    const place = await makePlace('W1', w.g1.center, '永和菜市场')
    const res = await get('W1', `/api/places/${place.id}/code`)
    expect(res.status).toBe(200)
    expect(res.body.url).toMatch(/\/#\/packages\/report\/new\/index\?scene=/)
    const png = Buffer.from(String(res.body.image).replace(/^data:image\/png;base64,/, ''), 'base64')
    expect(await decodeQr(png)).toBe(res.body.url)
    const scene = decodeURIComponent(new URL(res.body.url.replace('/#/', '/')).searchParams.get('scene') ?? '')
    expect(scene.length).toBeLessThanOrEqual(32)
    const resolved = await get(null, `/api/places/scene/${encodeURIComponent(scene)}`)
    expect(resolved.status).toBe(200)
    expect(resolved.body).toMatchObject({
      place: { id: place.id, name: '永和菜市场', address: '永和小区3号楼' },
      grid: { code: w.g1.code },
      community: { name: '永和社区' },
      street: { code: w.s1.code }
    })
  })

  it('refuses a forged, malformed, expired or unknown scene with its own code', async () => {
    const place = await makePlace('W1', w.g1.center, '验码楼')
    const { scene } = makeScene(t.deps.config.jwt.secret, place.code, new Date())
    const resolve = (s: string) => get(null, `/api/places/scene/${encodeURIComponent(s)}`)
    const flipped = scene.slice(0, -1) + (scene.endsWith('A') ? 'B' : 'A')
    expect([(await resolve(flipped)).status, problem(await resolve(flipped)).code]).toEqual([400, 'qr_scene_forged'])
    // Another place's code under this scene's signature, and a longer validity under the same signature.
    const other = `${newPlaceCode()}${scene.slice(8)}`
    expect(problem(await resolve(other)).code).toBe('qr_scene_forged')
    const [code, expiry, signature] = scene.split('.') as [string, string, string]
    expect(problem(await resolve(`${code}.${(parseInt(expiry, 36) + 999).toString(36)}.${signature}`)).code).toBe('qr_scene_forged')
    // Signed with another secret.
    expect(problem(await resolve(makeScene('some-other-secret-some-other-secret', place.code, new Date()).scene)).code).toBe('qr_scene_forged')
    for (const malformed of ['hello', 'x'.repeat(32), 'a.b.c']) expect(problem(await resolve(malformed)).code).toBe('qr_scene_forged')
    expect((await resolve('x'.repeat(40))).status).toBe(400)
    // A year and a day later.
    t.setNow(new Date(Date.now() + 366 * 86_400_000))
    try {
      const expired = await resolve(scene)
      expect([expired.status, problem(expired).code]).toEqual([410, 'qr_scene_expired'])
    } finally {
      t.setNow(null)
    }
    // Signed by us, but for a place that does not exist (removed, or never made).
    const unknown = await resolve(makeScene(t.deps.config.jwt.secret, 'zzzzzzzz', new Date()).scene)
    expect([unknown.status, problem(unknown).code]).toEqual([404, 'qr_scene_unknown'])
  })

  it('a removed place: its printed code answers qr_scene_unknown; only staff in scope remove it (404 otherwise), audited', async () => {
    const place = await makePlace('W1', w.g1.center, '拆除的报亭')
    const code = await get('W1', `/api/places/${place.id}/code`)
    const scene = decodeURIComponent(String(code.body.url).split('scene=')[1] ?? '')
    expect((await send('delete', 'W2', `/api/places/${place.id}`)).status).toBe(404)
    expect((await send('delete', 'CSB', `/api/places/${place.id}`)).status).toBe(404)
    expect((await get(null, `/api/places/scene/${encodeURIComponent(scene)}`)).status).toBe(200)
    expect((await send('delete', 'CSA', `/api/places/${place.id}`)).status).toBe(204)
    const gone = await get(null, `/api/places/scene/${encodeURIComponent(scene)}`)
    expect([gone.status, problem(gone).code]).toEqual([404, 'qr_scene_unknown'])
    expect(await t.db.ds.getRepository(AuditEvent).findOneBy({ action: 'place.delete', objectId: place.id })).toMatchObject({ actorId: w.users.CSA.id })
    expect((await send('delete', 'CSA', `/api/places/${place.id}`)).status).toBe(404)
  })

  it('a weapp code comes from wxacode.getUnlimited (fake WeChat) with the same kind of scene and the report page', async () => {
    const place = await makePlace('W1', w.g1.center, '小程序码楼')
    const before = fake.calls.wxacode
    const res = await binary(get('W1', `/api/places/${place.id}/code.png?platform=weapp`))
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('image/png')
    expect(fake.calls.wxacode).toBe(before + 1)
    const decoded = await decodeQr(res.body as Buffer)
    expect(decoded).toMatch(/^wxacode:packages\/report\/new\/index\?scene=/)
    const scene = (decoded ?? '').split('scene=')[1] ?? ''
    expect((await get(null, `/api/places/scene/${encodeURIComponent(scene)}`)).body.place.id).toBe(place.id)
  })

  it('WeChat refusing to make a code (quota 45009, busy) is 503 wechat_unavailable, and the fake checks scene and page as WeChat does', async () => {
    const place = await makePlace('W1', w.g1.center, '配额楼')
    fake.failNext('wxacode', 45009)
    const res = await get('W1', `/api/places/${place.id}/code?platform=weapp`)
    expect([res.status, problem(res).code]).toEqual([503, 'wechat_unavailable'])
    const { wechatClientFor } = await import('../wechat/index')
    const client = wechatClientFor(t.deps.config)
    await expect(client.getUnlimitedQrCode({ scene: 'x'.repeat(33), page: 'packages/report/new/index' })).rejects.toMatchObject({ errcode: 40169, kind: 'invalid_request' })
    await expect(client.getUnlimitedQrCode({ scene: '中文', page: 'packages/report/new/index' })).rejects.toMatchObject({ errcode: 40129 })
    await expect(client.getUnlimitedQrCode({ scene: 'ok', page: '/packages/report/new/index' })).rejects.toMatchObject({ errcode: 41030 })
    await expect(client.getUnlimitedQrCode({ scene: 'ok', page: 'packages/report/new/index', width: 100 })).rejects.toMatchObject({ errcode: 40097 })
  })

  it('the printable sheet of a grid is one PNG whose first code opens the form for the grid’s first place', async () => {
    const res = await binary(get('W2', `/api/grids/${w.g2.code}/places/sheet.png`))
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('image/png')
    const meta = await sharp(res.body as Buffer).metadata()
    expect(meta.width).toBe(1240)
    const url = await decodeQr(res.body as Buffer, { left: 20, top: 150, width: 390, height: 384 })
    expect(url).toMatch(/scene=/)
    const scene = decodeURIComponent((url ?? '').split('scene=')[1] ?? '')
    const first = (await get('W2', `/api/places?grid=${w.g2.code}`)).body.items[0] as PlaceView
    expect((await get(null, `/api/places/scene/${encodeURIComponent(scene)}`)).body.place.id).toBe(first.id)
  })
})

describe('grid profile (网格档案)', () => {
  const counts = { residents: 1200, households: 460, partyMembers: 52, specialGroups: 11, lowIncome: 7 }

  it('community staff set the counts (audited); the profile shows all six blocks to staff in scope', async () => {
    const res = await send('put', 'CSA', `/api/grids/${w.g1.code}/profile/counts`, counts)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject(counts)
    expect(await t.db.ds.getRepository(AuditEvent).findOneBy({ action: 'grid_profile.counts', objectId: w.g1.code })).not.toBeNull()
    await fileTicket(t, w.users.R1, reportBody(w))
    for (const [block, name] of [
      ['thing', '消防栓'],
      ['situation', '加装电梯意见'],
      ['organisation', '业主委员会']
    ] as const) {
      expect((await send('post', 'W1', `/api/grids/${w.g1.code}/profile/entries`, { block, name, contact: block === 'organisation' ? '0352-5550101' : undefined })).status).toBe(201)
    }
    const profile = (await get('W1', `/api/grids/${w.g1.code}/profile`)).body
    expect(profile.people).toMatchObject(counts)
    expect(profile.places.length).toBeGreaterThan(0)
    expect(profile.things.map((e: { name: string }) => e.name)).toContain('消防栓')
    expect(profile.situations.map((e: { name: string }) => e.name)).toContain('加装电梯意见')
    expect(profile.organisations[0]).toMatchObject({ name: '业主委员会', contact: '0352-5550101' })
    expect(profile.events.total).toBeGreaterThanOrEqual(1)
    expect(profile.events.byCategory[0]).toMatchObject({ category: 'sanitation' })
  })

  it.each([
    ['W2', 'another grid'],
    ['CSB', 'another community'],
    ['SA2', 'another street']
  ] as const)('%s (%s) gets 404 for the profile and its writes; nothing changes', async (who, _why) => {
    const before = [await count(GridCounts), await count(GridEntry)]
    expect((await get(who, `/api/grids/${w.g1.code}/profile`)).status).toBe(404)
    expect((await send('post', who, `/api/grids/${w.g1.code}/profile/entries`, { block: 'thing', name: 'x' })).status).toBe(404)
    if (who !== 'W2') expect((await send('put', who, `/api/grids/${w.g1.code}/profile/counts`, counts)).status).toBe(404)
    expect([await count(GridCounts), await count(GridEntry)]).toEqual(before)
  })

  it('grid workers may not enter counts (403); residents see no profile (403)', async () => {
    expect((await send('put', 'W1', `/api/grids/${w.g1.code}/profile/counts`, counts)).status).toBe(403)
    expect((await get('R1', `/api/grids/${w.g1.code}/profile`)).status).toBe(403)
  })

  it.each([
    ['negative', { ...counts, lowIncome: -1 }, 'lowIncome'],
    ['a string', { ...counts, residents: '1200' }, 'residents'],
    ['a fraction', { ...counts, households: 2.5 }, 'households'],
    ['missing', { residents: 1 }, 'households']
  ])('counts that are %s: 400 validation_failed naming the field; the stored counts stay', async (_label, body, field) => {
    const stored = await t.db.ds.getRepository(GridCounts).findOneBy({ gridCode: w.g1.code })
    const res = await send('put', 'CSA', `/api/grids/${w.g1.code}/profile/counts`, body)
    expect(res.status).toBe(400)
    expect(problem(res).code).toBe('validation_failed')
    expect(problem(res).errors?.map((e) => e.path)).toContain(field)
    expect(await t.db.ds.getRepository(GridCounts).findOneBy({ gridCode: w.g1.code })).toEqual(stored)
  })

  it('imports counts as CSV for grids in scope, all or nothing, audited', async () => {
    const csv = `grid_code,residents,households,party_members,special_groups,low_income\n${w.g1.code},1300,470,53,12,8\n${w.g2.code},900,350,40,9,5\n`
    const res = await send('post', 'CSA', '/api/grid-profiles/counts/import', { csv })
    expect(res.body).toEqual({ updated: 2 })
    expect(await t.db.ds.getRepository(GridCounts).findOneBy({ gridCode: w.g2.code })).toMatchObject({ residents: 900, lowIncome: 5 })
    expect(await t.db.ds.getRepository(AuditEvent).findOneBy({ action: 'grid_profile.import' })).not.toBeNull()
  })

  it.each([
    ['wrong columns', 'grid,people,homes\n066-012,1,2\n'],
    ['columns in another order', 'grid_code,households,residents,party_members,special_groups,low_income\n066-012,1,2,3,4,5\n'],
    ['a short line', 'grid_code,residents,households,party_members,special_groups,low_income\n066-012,1,2,3\n'],
    ['a negative count', 'grid_code,residents,households,party_members,special_groups,low_income\n066-012,1,2,3,4,-5\n'],
    ['a word for a number', 'grid_code,residents,households,party_members,special_groups,low_income\n066-012,many,2,3,4,5\n'],
    ['only a header', 'grid_code,residents,households,party_members,special_groups,low_income\n']
  ])('a CSV with %s: 400 csv_invalid, nothing changes', async (_label, csv) => {
    const stored = await t.db.ds.getRepository(GridCounts).find({ order: { gridCode: 'ASC' } })
    const res = await send('post', 'CSA', '/api/grid-profiles/counts/import', { csv })
    expect([res.status, problem(res).code]).toEqual([400, 'csv_invalid'])
    expect(await t.db.ds.getRepository(GridCounts).find({ order: { gridCode: 'ASC' } })).toEqual(stored)
  })

  it('a CSV naming a grid outside the caller’s community: 404, not even the grids in scope change', async () => {
    const stored = await t.db.ds.getRepository(GridCounts).find({ order: { gridCode: 'ASC' } })
    const csv = `grid_code,residents,households,party_members,special_groups,low_income\n${w.g1.code},1,1,1,1,1\n${w.g3.code},2,2,2,2,2\n`
    expect((await send('post', 'CSA', '/api/grid-profiles/counts/import', { csv })).status).toBe(404)
    expect(await t.db.ds.getRepository(GridCounts).find({ order: { gridCode: 'ASC' } })).toEqual(stored)
  })

  it('deletes an entry of a grid in scope; another grid’s staff get 404', async () => {
    const added = (await send('post', 'CSA', `/api/grids/${w.g1.code}/profile/entries`, { block: 'thing', name: '临时设施' })).body
    expect((await send('delete', 'W2', `/api/grids/${w.g1.code}/profile/entries/${added.id}`)).status).toBe(404)
    expect((await send('delete', 'W1', `/api/grids/${w.g1.code}/profile/entries/${added.id}`)).status).toBe(204)
    expect(await t.db.ds.getRepository(GridEntry).findOneBy({ id: added.id })).toBeNull()
  })
})

describe('my grid (我的网格)', () => {
  it('a resident sees the grid of their last report, its workers with public numbers only, the office and masked public replies', async () => {
    await t.db.ds.getRepository(User).update({ id: w.users.W1.id }, { phone: '13912345678' })
    expect((await send('put', 'CSA', `/api/communities/${w.ca.code}/office`, { name: '永和社区党群服务中心', phone: '0352-5551234', address: '永和路1号', hours: '工作日 9:00–18:00' })).status).toBe(
      200
    )
    expect((await send('put', 'CSA', `/api/grid-workers/${w.users.W1b.id}/card`, { workPhone: '0352-5556789' })).status).toBe(200)
    const ticket = await fileTicket(t, w.users.R2, reportBody(w, { allowPublication: true }))
    await t.db.ds.getRepository(Publication).insert({
      ticketId: ticket.id,
      state: 'published',
      number: ticket.number,
      category: 'sanitation',
      title: '楼道垃圾',
      body: '楼道里垃圾堆积三天无人清运',
      reply: '已安排清运，王*请放心',
      communityCode: w.ca.code,
      communityName: '永和社区',
      reporterName: '王*',
      rating: null,
      submittedAt: new Date(),
      resolvedAt: new Date(),
      publishedAt: new Date(),
      nextCheckAt: new Date(),
      checkAttempts: 1,
      updatedAt: new Date()
    } as unknown as Publication)

    const res = await get('R2', '/api/my-grid')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ source: 'last_report', grid: { code: w.g1.code, name: '永和一网格' }, community: { name: '永和社区' }, office: { phone: '0352-5551234' } })
    const byName = Object.fromEntries(res.body.workers.map((x: { displayName: string }) => [x.displayName, x]))
    expect(byName['张三']).toMatchObject({ phone: '0352-5551234', phoneSource: 'community' })
    expect(byName['张四']).toMatchObject({ phone: '0352-5556789', phoneSource: 'work' })
    expect(JSON.stringify(res.body)).not.toContain('13912345678')
    expect(res.body.replies[0]).toMatchObject({ id: ticket.id, reply: '已安排清运，王*请放心', reporter: { displayName: '王*' } })
  })

  it('a point decides the grid when given; a resident with no report and no point gets no grid', async () => {
    expect((await get('R3', `/api/my-grid?lat=${w.g2.center.lat}&lng=${w.g2.center.lng}`)).body).toMatchObject({ source: 'point', grid: { code: w.g2.code } })
    expect((await get('R3', '/api/my-grid')).body).toMatchObject({ source: null, grid: null, workers: [] })
    expect((await get(null, '/api/my-grid')).status).toBe(401)
  })

  it('only staff in scope change the office or a work number (404 outside, 403 for workers); a bad number is 400', async () => {
    expect((await send('put', 'CSB', `/api/communities/${w.ca.code}/office`, { name: 'x' })).status).toBe(404)
    expect((await send('put', 'CSB', `/api/grid-workers/${w.users.W1.id}/card`, { workPhone: '0352-1' })).status).toBe(404)
    expect((await send('put', 'W1', `/api/grid-workers/${w.users.W1.id}/card`, { workPhone: '0352-5550000' })).status).toBe(403)
    expect(problem(await send('put', 'CSA', `/api/grid-workers/${w.users.W1.id}/card`, { workPhone: 'call me' })).code).toBe('validation_failed')
  })

  it('staff in scope read the contacts residents see (网格联系方式): the office and each worker with their work number, never a private phone', async () => {
    await t.db.ds.getRepository(User).update({ id: w.users.W1.id }, { phone: '13912345678' })
    expect((await send('put', 'CSA', `/api/grid-workers/${w.users.W1b.id}/card`, { workPhone: '0352-5556789' })).status).toBe(200)
    expect((await send('put', 'CSA', `/api/grid-workers/${w.users.W1.id}/card`, { workPhone: null })).status).toBe(200)
    const res = await get('CSA', `/api/communities/${w.ca.code}/contacts`)
    expect(res.status).toBe(200)
    expect(res.body.community).toEqual({ code: w.ca.code, name: '永和社区' })
    const byName = Object.fromEntries(res.body.workers.map((x: { displayName: string }) => [x.displayName, x]))
    expect(byName['张四']).toMatchObject({ id: w.users.W1b.id, workPhone: '0352-5556789', grid: { code: w.g1.code, name: '永和一网格' } })
    expect(byName['张三']).toMatchObject({ workPhone: null })
    expect(byName['刘五']).toMatchObject({ grid: { code: w.g2.code, name: '永和二网格' } })
    expect(byName['陈六']).toBeUndefined() // another community's worker
    expect(JSON.stringify(res.body)).not.toContain('13912345678')
    expect((await get('SA1', `/api/communities/${w.ca.code}/contacts`)).status).toBe(200)
    expect((await get('CSB', `/api/communities/${w.ca.code}/contacts`)).status).toBe(404)
    expect((await get('W1', `/api/communities/${w.ca.code}/contacts`)).status).toBe(403)
    expect((await get('R1', `/api/communities/${w.ca.code}/contacts`)).status).toBe(403)
    expect((await get('CSA', '/api/communities/not-a-code/contacts')).status).toBe(404)
  })
})
