import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Role, SignupStatus } from '@palm/shared'
import type { DataSource } from 'typeorm'
import { User } from '../src/modules/auth/user.entity'
import { newUserRow } from '../src/modules/auth/users.repo'
import { TEST_CONSENT_AT, seedConsent } from '../src/modules/auth/consent-records'
import { LegalProvider, LegalSlot, LegalStation } from '../src/modules/legal/legal.entity'
import { Street } from '../src/modules/territory/territory.entity'
import { ActivitySignup, Volunteer, VolunteerActivity } from '../src/modules/volunteers/volunteer.entity'
import { createCommunity, createGrid, createStreet, createUser } from './factories'

/** The street row (the reference-data migration already holds the 18 real ones). */
async function ensureStreet(ds: DataSource, code: string, name: string) {
  const existing = await ds.getRepository(Street).findOneBy({ code })
  return existing ? { code: existing.code, name: existing.name } : createStreet(ds, code, name)
}

/**
 * Two streets, each with a community and one grid: S1/C-A/G1 is "ours", S2/C-B/G3 lies outside the
 * scope of S1's staff (docs/security.md "The test world", reduced to what the services need).
 */
export async function createServiceTerritory(ds: DataSource) {
  const s1 = await ensureStreet(ds, '140213066', '水泊寺街道')
  const s2 = await ensureStreet(ds, '140213050', '永泰街道')
  const ca = await createCommunity(ds, s1.code, '140213066001', '永和社区')
  const ca2 = await createCommunity(ds, s1.code, '140213066002', '绿地世纪城社区')
  const cb = await createCommunity(ds, s2.code, '140213050001', '永泰社区')
  const g1 = await createGrid(ds, { code: '140213066001-01', communityCode: ca.code, streetCode: s1.code, lat: 40.08, lng: 113.3 })
  const g2 = await createGrid(ds, { code: '140213066002-01', communityCode: ca2.code, streetCode: s1.code, lat: 40.09, lng: 113.3 })
  const g3 = await createGrid(ds, { code: '140213050001-01', communityCode: cb.code, streetCode: s2.code, lat: 40.05, lng: 113.2 })
  return { s1, s2, ca, ca2, cb, g1, g2, g3 }
}
export type ServiceTerritory = Awaited<ReturnType<typeof createServiceTerritory>>

/** The staff of the fixture territory: each role at each place it needs. */
export async function createServiceStaff(ds: DataSource, t: ServiceTerritory) {
  const [csA, csB, sa1, sa2, da, w1, w3, justice, housing, antiFraud] = await Promise.all([
    createUser(ds, 'community_staff', { displayName: '永和社区专干', communityCode: t.ca.code, streetCode: t.s1.code }),
    createUser(ds, 'community_staff', { displayName: '永泰社区专干', communityCode: t.cb.code, streetCode: t.s2.code }),
    createUser(ds, 'street_admin', { displayName: '水泊寺街道政法委员', streetCode: t.s1.code }),
    createUser(ds, 'street_admin', { displayName: '永泰街道政法委员', streetCode: t.s2.code }),
    createUser(ds, 'district_admin', { displayName: '区综治中心' }),
    createUser(ds, 'grid_worker', { displayName: '网格员一', gridCode: t.g1.code, communityCode: t.ca.code, streetCode: t.s1.code, onDuty: true }),
    createUser(ds, 'grid_worker', { displayName: '网格员三', gridCode: t.g3.code, communityCode: t.cb.code, streetCode: t.s2.code, onDuty: true }),
    createUser(ds, 'department_staff', { displayName: '司法局', departmentCode: 'justice_bureau' }),
    createUser(ds, 'department_staff', { displayName: '住建局', departmentCode: 'housing_bureau' }),
    createUser(ds, 'department_staff', { displayName: '反诈中心', departmentCode: 'anti_fraud_centre' })
  ])
  return { csA, csB, sa1, sa2, da, w1, w3, justice, housing, antiFraud }
}

/** Many users at once (one multi-row insert per 100), for the contention tests. */
export async function createManyUsers(ds: DataSource, role: Role, count: number, prefix = 'resident'): Promise<User[]> {
  const now = new Date()
  const users = Array.from({ length: count }, (_, i) => newUserRow(role, `${prefix}-${i}`, now, { synthetic: true }))
  for (let i = 0; i < users.length; i += 100) await ds.getRepository(User).insert(users.slice(i, i + 100))
  if (role === 'resident' || role === 'volunteer')
    for (let i = 0; i < users.length; i += 100)
      await seedConsent(
        ds.manager,
        users.slice(i, i + 100).map((u) => u.id),
        'test',
        TEST_CONSENT_AT
      )
  return users
}

export async function createStationRow(
  ds: DataSource,
  opts: Partial<Pick<LegalStation, 'name' | 'level' | 'kind' | 'streetCode' | 'communityCode' | 'departmentCode' | 'minLeadMinutes' | 'cancelCutoffMinutes' | 'lat' | 'lng'>> = {}
): Promise<LegalStation> {
  const now = new Date()
  const station = Object.assign(new LegalStation(), {
    id: randomUUID(),
    name: opts.name ?? '永和社区法律服务室',
    level: opts.level ?? 'community',
    kind: opts.kind ?? 'legal_service_room',
    streetCode: opts.streetCode ?? null,
    communityCode: opts.communityCode ?? null,
    departmentCode: opts.departmentCode ?? 'justice_bureau',
    address: '测试地址 1 号',
    lat: opts.lat ?? null,
    lng: opts.lng ?? null,
    phone: null,
    topics: JSON.stringify(['婚姻家庭', '劳动争议']),
    minLeadMinutes: opts.minLeadMinutes ?? 120,
    cancelCutoffMinutes: opts.cancelCutoffMinutes ?? 120,
    active: true,
    synthetic: true,
    createdAt: now,
    updatedAt: now
  })
  await ds.getRepository(LegalStation).insert(station)
  return station
}

export async function createProviderRow(ds: DataSource, stationId: string, opts: Partial<Pick<LegalProvider, 'name' | 'kind' | 'userId'>> = {}): Promise<LegalProvider> {
  const provider = Object.assign(new LegalProvider(), {
    id: randomUUID(),
    stationId,
    name: opts.name ?? '王律师',
    kind: opts.kind ?? 'lawyer',
    topics: JSON.stringify(['婚姻家庭']),
    bio: '',
    userId: opts.userId ?? null,
    active: true,
    synthetic: true,
    createdAt: new Date()
  })
  await ds.getRepository(LegalProvider).insert(provider)
  return provider
}

export async function createSlotRow(ds: DataSource, station: LegalStation, provider: LegalProvider, startsAt: Date, capacity = 1): Promise<LegalSlot> {
  const slot = Object.assign(new LegalSlot(), {
    id: randomUUID(),
    stationId: station.id,
    providerId: provider.id,
    startsAt,
    endsAt: new Date(startsAt.getTime() + 30 * 60_000),
    capacity,
    booked: 0,
    createdAt: new Date()
  })
  await ds.getRepository(LegalSlot).insert(slot)
  return slot
}

/** An approved alliance member for an existing user (role becomes volunteer, as approval does). */
export async function createApprovedVolunteer(ds: DataSource, user: User, communityCode: string, streetCode: string): Promise<Volunteer> {
  const now = new Date()
  const volunteer = Object.assign(new Volunteer(), {
    id: randomUUID(),
    userId: user.id,
    number: `PCFZ-T${randomUUID().slice(0, 8).toUpperCase()}`,
    name: user.displayName.slice(0, 32),
    phone: '13800000000',
    communityCode,
    streetCode,
    skills: '[]',
    status: 'approved',
    rejectionReason: null,
    decidedBy: null,
    approvedAt: now,
    synthetic: true,
    createdAt: now,
    updatedAt: now
  })
  await ds.getRepository(Volunteer).insert(volunteer)
  await ds.getRepository(User).update({ id: user.id }, { role: 'volunteer' })
  user.role = 'volunteer'
  return volunteer
}

export async function createActivityRow(
  ds: DataSource,
  opts: { communityCode: string; streetCode: string; startsAt: Date; endsAt?: Date; signupDeadline?: Date; capacity?: number; checkinCode?: string; createdBy: string; kind?: string }
): Promise<VolunteerActivity> {
  const now = new Date()
  const activity = Object.assign(new VolunteerActivity(), {
    id: randomUUID(),
    title: '反诈宣传进社区',
    description: '在社区广场发放反诈宣传资料',
    kind: opts.kind ?? 'publicity',
    place: '永和社区广场',
    lat: null,
    lng: null,
    communityCode: opts.communityCode,
    streetCode: opts.streetCode,
    departmentCode: null,
    startsAt: opts.startsAt,
    endsAt: opts.endsAt ?? new Date(opts.startsAt.getTime() + 2 * 3600_000),
    signupDeadline: opts.signupDeadline ?? new Date(opts.startsAt.getTime() - 3600_000),
    capacity: opts.capacity ?? 10,
    signedUp: 0,
    waitlistSeq: 0,
    checkinCode: opts.checkinCode ?? '246810',
    cancelled: false,
    organiser: '永和社区',
    createdBy: opts.createdBy,
    synthetic: true,
    createdAt: now,
    updatedAt: now
  })
  await ds.getRepository(VolunteerActivity).insert(activity)
  return activity
}

export async function countSignups(ds: DataSource, activityId: string, status: SignupStatus): Promise<number> {
  return ds.getRepository(ActivitySignup).countBy({ activityId, status })
}

/** A fresh Idempotency-Key, as the mini-program makes one per submission. */
export function idemKey(): string {
  return `test-${randomUUID()}`
}

export interface FiredRequest {
  method: 'POST' | 'GET'
  path: string
  headers: Record<string, string>
  body?: unknown
}

export interface FiredResult {
  status: number
  code?: string
  ms: number
}

/** Listens on a random loopback port, so requests travel over real TCP like a phone's would. */
export async function listenOnLoopback(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** Sends every request at once (all started before any is awaited) and records status, code and latency. */
export async function fireAtOnce(baseUrl: string, requests: readonly FiredRequest[]): Promise<FiredResult[]> {
  return Promise.all(
    requests.map(async (r) => {
      const started = performance.now()
      const res = await fetch(`${baseUrl}${r.path}`, {
        method: r.method,
        headers: { 'Content-Type': 'application/json', ...r.headers },
        ...(r.body !== undefined ? { body: JSON.stringify(r.body) } : {})
      })
      const text = await res.text()
      const ms = performance.now() - started
      let code: string | undefined
      try {
        const parsed = JSON.parse(text) as { code?: unknown }
        if (typeof parsed.code === 'string') code = parsed.code
      } catch {
        code = undefined
      }
      return { status: res.status, ...(code !== undefined ? { code } : {}), ms }
    })
  )
}

/** Counts per "status code" (e.g. `201`, `409 slot_full`) and the latency percentiles in ms. */
export function summariseFired(results: readonly FiredResult[]): { counts: Record<string, number>; p50: number; p99: number; max: number } {
  const counts: Record<string, number> = {}
  for (const r of results) {
    const key = r.code && r.status >= 400 ? `${r.status} ${r.code}` : String(r.status)
    counts[key] = (counts[key] ?? 0) + 1
  }
  const sorted = results.map((r) => r.ms).sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN
  return { counts, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? NaN }
}

/** Approved alliance rows for many users at once (contention tests). */
export async function approveManyVolunteers(ds: DataSource, users: User[], communityCode: string, streetCode: string): Promise<void> {
  const now = new Date()
  const rows = users.map((u, i) =>
    Object.assign(new Volunteer(), {
      id: randomUUID(),
      userId: u.id,
      number: `PCFZ-B${String(i).padStart(6, '0')}-${randomUUID().slice(0, 4)}`,
      name: u.displayName.slice(0, 32),
      phone: '13800000000',
      communityCode,
      streetCode,
      skills: '[]',
      status: 'approved',
      rejectionReason: null,
      decidedBy: null,
      approvedAt: now,
      synthetic: true,
      createdAt: now,
      updatedAt: now
    })
  )
  for (let i = 0; i < rows.length; i += 100) await ds.getRepository(Volunteer).insert(rows.slice(i, i + 100))
}
