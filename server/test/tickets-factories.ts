import { randomUUID } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import { TicketViewSchema, type Role, type TicketView } from '@palm/shared'
import sharp from 'sharp'
import request from 'supertest'
import type { DataSource } from 'typeorm'
import type { User } from '../src/modules/auth/user.entity'
import { Department, Street, invalidateGridIndex } from '../src/modules/territory/index'
import { bearer, createCommunity, createDepartment, createGrid, createStreet, createUser } from './factories'
import type { TestContext } from './test-app'

/**
 * The fixtures of docs/security.md "The test world", on real territory codes: street S1 (水泊寺) with community CA
 * (永和社区: grids G1, G2), street S2 (永泰) with community CB (grid G3) — synthetic communities and
 * grids on the real streets; residents R1–R3; grid workers
 * W1 (+ W1b, both of G1), W2 (G2), W3 (G3), all on duty; community staff CSA, CSB; street admins SA1,
 * SA2; the district admin DA; housing-bureau staff DEP; and the departments the default routing rules name.
 */
export async function createTicketWorld(ds: DataSource) {
  const s1 = await ensureStreet(ds, '140213066', '水泊寺街道')
  const s2 = await ensureStreet(ds, '140213050', '永泰街道')
  const ca = await createCommunity(ds, s1.code, '140213066001', '永和社区')
  const cb = await createCommunity(ds, s2.code, '140213050001', '永泰社区')
  const g1 = await createGrid(ds, { code: '066-012', communityCode: ca.code, streetCode: s1.code, lat: 40.05, lng: 113.25, name: '永和一网格' })
  const g2 = await createGrid(ds, { code: '066-013', communityCode: ca.code, streetCode: s1.code, lat: 40.05, lng: 113.26, name: '永和二网格' })
  const g3 = await createGrid(ds, { code: '050-001', communityCode: cb.code, streetCode: s2.code, lat: 40.1, lng: 113.2, name: '永泰一网格' })
  for (const [code, name] of [
    ['housing_bureau', '区住建局'],
    ['anti_fraud_centre', '反诈中心'],
    ['justice_bureau', '区司法局'],
    ['health_commission', '区卫健委']
  ] as const) {
    if (!(await ds.getRepository(Department).existsBy({ code }))) await createDepartment(ds, code, name)
  }
  invalidateGridIndex(ds)
  const worker = (grid: typeof g1, displayName: string) =>
    createUser(ds, 'grid_worker', { gridCode: grid.code, communityCode: grid.communityCode, streetCode: grid.streetCode, onDuty: true, displayName })
  const users = {
    R1: await createUser(ds, 'resident', { displayName: '李小明' }),
    R2: await createUser(ds, 'resident', { displayName: '王芳' }),
    R3: await createUser(ds, 'resident', { displayName: '赵强' }),
    W1: await worker(g1, '张三'),
    W1b: await worker(g1, '张四'),
    W2: await worker(g2, '刘五'),
    W3: await worker(g3, '陈六'),
    CSA: await createUser(ds, 'community_staff', { communityCode: ca.code, streetCode: s1.code, displayName: '永和专干' }),
    CSB: await createUser(ds, 'community_staff', { communityCode: cb.code, streetCode: s2.code, displayName: '永泰专干' }),
    SA1: await createUser(ds, 'street_admin', { streetCode: s1.code, displayName: '水泊寺政法委员' }),
    SA2: await createUser(ds, 'street_admin', { streetCode: s2.code, displayName: '永泰政法委员' }),
    DA: await createUser(ds, 'district_admin', { displayName: '区综治中心' }),
    DEP: await createUser(ds, 'department_staff', { departmentCode: 'housing_bureau', displayName: '住建局值班' }),
    DEPF: await createUser(ds, 'department_staff', { departmentCode: 'anti_fraud_centre', displayName: '反诈中心值班' })
  }
  return { s1, s2, ca, cb, g1, g2, g3, users }
}
export type TicketWorld = Awaited<ReturnType<typeof createTicketWorld>>

/** The real streets arrive with the reference-data migration; older schemas get them here. */
async function ensureStreet(ds: DataSource, code: string, name: string) {
  if (!(await ds.getRepository(Street).existsBy({ code }))) await createStreet(ds, code, name)
  return { code, name }
}

/** A report body: sanitation in G1 unless told otherwise. */
export function reportBody(world: TicketWorld, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { kind: 'report', category: 'sanitation', description: '楼道里垃圾堆积三天无人清运', location: world.g1.center, address: '永和小区3号楼2单元', ...overrides }
}

/** POST /api/tickets as `user` with a fresh (or the given) Idempotency-Key. */
export function submitTicket(t: TestContext, user: Pick<User, 'id' | 'role'>, body: unknown, key: string | null = randomUUID()) {
  const req = request(t.server).post('/api/tickets').set('Authorization', bearer(t.deps.config, user))
  return (key === null ? req : req.set('Idempotency-Key', key)).send(body as object)
}

/** Files a ticket through the API and returns its view (fails the test if it is not 201). */
export async function fileTicket(t: TestContext, user: Pick<User, 'id' | 'role'>, body: unknown): Promise<TicketView> {
  const res = await submitTicket(t, user, body)
  if (res.status !== 201) throw new Error(`submission failed: ${res.status} ${JSON.stringify(res.body)}`)
  return TicketViewSchema.parse(res.body)
}

/** POST /api/tickets/:id/transitions as `user`. */
export function fire(t: TestContext, user: Pick<User, 'id' | 'role'>, ticketId: string, body: Record<string, unknown>) {
  return request(t.server).post(`/api/tickets/${ticketId}/transitions`).set('Authorization', bearer(t.deps.config, user)).send(body)
}

/** Fires and insists on 200, returning the new view. */
export async function fireOk(t: TestContext, user: Pick<User, 'id' | 'role'>, ticketId: string, body: Record<string, unknown>): Promise<TicketView> {
  const res = await fire(t, user, ticketId, body)
  if (res.status !== 200) throw new Error(`${String(body.event)} failed: ${res.status} ${JSON.stringify(res.body)}`)
  return TicketViewSchema.parse(res.body)
}

export function getTicket(t: TestContext, user: Pick<User, 'id' | 'role'>, ticketId: string) {
  return request(t.server).get(`/api/tickets/${ticketId}`).set('Authorization', bearer(t.deps.config, user))
}

/** A staff member of `role` with no scope at all (misconfigured accounts must see nothing). */
export function createScopelessStaff(ds: DataSource, role: Role) {
  return createUser(ds, role, { displayName: `无范围-${role}` })
}

/** A JPEG photo with camera EXIF and GPS, as a phone would send it. */
export async function jpegWithGps(width = 640, height = 480): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'TP-1', Artist: '李小明' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '40/1 3/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '113/1 15/1 0/1' }
    })
    .toBuffer()
}

export async function pngPhoto(width = 300, height = 200): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 10, g: 200, b: 90, alpha: 0.5 } } })
    .png()
    .toBuffer()
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff
  for (const b of bytes) {
    crc ^= b
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1
  }
  return (crc ^ 0xffffffff) >>> 0
}

/** A tiny, valid-looking PNG whose header claims width × height pixels (a decompression bomb's header). */
export function pngBombHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 0 // greyscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(Buffer.alloc(1024))), pngChunk('IEND', Buffer.alloc(0))])
}

/** POST /api/uploads with one file in the field `file`. */
export function uploadFile(t: TestContext, user: Pick<User, 'id' | 'role'>, data: Buffer, filename = 'photo.jpg', contentType = 'image/jpeg') {
  return request(t.server).post('/api/uploads').set('Authorization', bearer(t.deps.config, user)).attach('file', data, { filename, contentType })
}

/** Uploads a photo and returns its id (fails the test if it is not 201). */
export async function uploadPhoto(t: TestContext, user: Pick<User, 'id' | 'role'>): Promise<string> {
  const res = await uploadFile(t, user, await jpegWithGps())
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`)
  return String(res.body.id)
}

/** A working-day morning in Beijing (Monday 2026-11-30 10:00 +08:00), so time limits are predictable. */
export const MONDAY_MORNING = new Date('2026-11-30T02:00:00Z')
