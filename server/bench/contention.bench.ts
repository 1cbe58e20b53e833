import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { In } from 'typeorm'
import { createApp } from '../src/app'
import { testConfig } from '../src/config'
import type { AppDeps } from '../src/deps'
import { createLogger } from '../src/logger'
import { LegalBooking, LegalSlot } from '../src/modules/legal/index'
import { ActivitySignup, VolunteerActivity } from '../src/modules/volunteers/index'
import { bearer } from '../test/factories'
import {
  approveManyVolunteers,
  createActivityRow,
  createManyUsers,
  createProviderRow,
  createServiceStaff,
  createServiceTerritory,
  createSlotRow,
  createStationRow,
  fireAtOnce,
  idemKey,
  listenOnLoopback,
  summariseFired,
  type FiredRequest,
  type FiredResult
} from '../test/services-factories'
import { createBenchDatabase } from './bench-db'
import type { BenchResult } from './types'

const REQUESTS = 500
const SEATS = 10
/** The production default (DB_POOL). */
const POOL = 10
/** Hot-row drain ÷ spread drain, issue 12.4. */
const RATIO_TARGET = 1.5

function describeRun(label: string, results: FiredResult[], wallMs: number, stored: { counter: number; rows: number }, expectedRefusal: string): { line: string; ok: boolean } {
  const s = summariseFired(results)
  const counts = Object.entries(s.counts)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')
  const ok = s.counts['201'] === SEATS && s.counts[expectedRefusal] === REQUESTS - SEATS && Object.keys(s.counts).length === 2 && stored.counter === SEATS && stored.rows === SEATS
  return {
    ok,
    line: `${label}: ${REQUESTS} simultaneous requests for ${SEATS} seats → ${counts}; counter ${stored.counter}, rows ${stored.rows} (target exactly ${SEATS}); p50 ${s.p50.toFixed(0)} ms, p99 ${s.p99.toFixed(0)} ms, max ${s.max.toFixed(0)} ms, all done in ${wallMs.toFixed(0)} ms`
  }
}

/** The baseline: the same number of requests, each for a seat of its own (no shared row), all expected to succeed. */
function describeSpread(label: string, results: FiredResult[], wallMs: number, stored: { counter: number; rows: number }): { line: string; ok: boolean } {
  const s = summariseFired(results)
  const ok = s.counts['201'] === REQUESTS && Object.keys(s.counts).length === 1 && stored.counter === REQUESTS && stored.rows === REQUESTS
  const counts = Object.entries(s.counts)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')
  return {
    ok,
    line: `${label}: ${REQUESTS} simultaneous requests, each for its own free seat → ${counts}; seats taken ${stored.counter}, rows ${stored.rows} (target ${REQUESTS}); p50 ${s.p50.toFixed(0)} ms, p99 ${s.p99.toFixed(0)} ms, max ${s.max.toFixed(0)} ms, all done in ${wallMs.toFixed(0)} ms`
  }
}

function describeRatio(label: string, hotMs: number, spreadMs: number): { line: string; ok: boolean } {
  const ratio = hotMs / spreadMs
  const ok = ratio <= RATIO_TARGET
  return { ok, line: `${label}: hot row ÷ spread = ${ratio.toFixed(2)}× (target ≤ ${RATIO_TARGET}×)${ok ? '' : '  ← TARGET MISSED'}` }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now()
  const result = await fn()
  return { result, ms: performance.now() - started }
}

/**
 * Booking and sign-up contention on MariaDB, over HTTP against the real app on loopback (issue
 * 12.4). For consultations: 500 residents book 500 different free slots at the same instant (the
 * baseline: no shared row, every request succeeds and opens a ticket), then 500 other residents book
 * one slot of 10 seats at the same instant (the hot row: 10 succeed, 490 are refused). The same for
 * activity sign-ups with approved volunteers. Prints the exact outcome counts, latency percentiles,
 * drain times and hot ÷ spread; targets: exactly 10 seats taken and the rest refused with 409 on
 * the hot row, every spread request served, and the hot drain ≤ 1.5× the spread one.
 */
export async function benchContention(): Promise<BenchResult> {
  const db = await createBenchDatabase('contention', POOL)
  const dataDir = mkdtempSync(path.join(tmpdir(), 'palm-bench-'))
  const config = testConfig({ dataDir, uploadsDir: path.join(dataDir, 'uploads'), h5Dir: path.join(dataDir, 'no-h5') })
  const deps: AppDeps = { config, ds: db.ds, log: createLogger('silent'), now: () => new Date() }
  const http = await listenOnLoopback(createApp(deps).callback())
  try {
    const territory = await createServiceTerritory(db.ds)
    const staff = await createServiceStaff(db.ds, territory)
    const lines = [`MariaDB database ${db.name}, pool of ${POOL} connections (the DB_POOL default), the real app on loopback HTTP`]

    // Consultations.
    const station = await createStationRow(db.ds, { communityCode: territory.ca.code, streetCode: territory.s1.code })
    const provider = await createProviderRow(db.ds, station.id)
    const firstStart = Date.now() + 24 * 3600_000
    // One INSERT for the 500 free slots (one at a time takes minutes on a busy machine).
    const freeSlots = Array.from({ length: REQUESTS }, (_, i) => {
      const startsAt = new Date(firstStart + (i + 1) * 30 * 60_000)
      return Object.assign(new LegalSlot(), {
        id: randomUUID(),
        stationId: station.id,
        providerId: provider.id,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 30 * 60_000),
        capacity: SEATS,
        booked: 0,
        createdAt: new Date()
      })
    })
    await db.ds.getRepository(LegalSlot).insert(freeSlots)
    const hotSlot = await createSlotRow(db.ds, station, provider, new Date(firstStart), SEATS)
    const residents = await createManyUsers(db.ds, 'resident', 2 * REQUESTS)
    const book = (resident: (typeof residents)[number], slotId: string): FiredRequest => ({
      method: 'POST',
      path: '/api/legal/bookings',
      headers: { Authorization: bearer(config, resident), 'Idempotency-Key': idemKey() },
      body: { slotId, topic: '劳动争议', description: '拖欠工资' }
    })
    const spreadBookings = await timed(() =>
      fireAtOnce(
        http.url,
        freeSlots.flatMap((slot, i) => {
          const resident = residents[i]
          return resident ? [book(resident, slot.id)] : []
        })
      )
    )
    const spreadBooked = {
      counter: (await db.ds.getRepository(LegalSlot).sum('booked', { id: In(freeSlots.map((s) => s.id)) })) ?? 0,
      rows: await db.ds.getRepository(LegalBooking).countBy({ slotId: In(freeSlots.map((s) => s.id)) })
    }
    const hotBookings = await timed(() =>
      fireAtOnce(
        http.url,
        residents.slice(REQUESTS).map((r) => book(r, hotSlot.id))
      )
    )
    const hotBooked = {
      counter: (await db.ds.getRepository(LegalSlot).findOneByOrFail({ id: hotSlot.id })).booked,
      rows: await db.ds.getRepository(LegalBooking).countBy({ slotId: hotSlot.id })
    }
    const bookingRuns = [
      describeSpread('legal bookings, spread', spreadBookings.result, spreadBookings.ms, spreadBooked),
      describeRun('legal bookings, hot slot', hotBookings.result, hotBookings.ms, hotBooked, '409 slot_full'),
      describeRatio('legal bookings', hotBookings.ms, spreadBookings.ms)
    ]

    // Activity sign-ups.
    const activityAt = (hours: number) => ({
      communityCode: territory.ca.code,
      streetCode: territory.s1.code,
      startsAt: new Date(Date.now() + hours * 3600_000),
      capacity: SEATS,
      createdBy: staff.csA.id
    })
    const hotActivity = await createActivityRow(db.ds, activityAt(47))
    // The 500 free activities: copies of the hot one's row with their own id and time, in one INSERT.
    const freeActivities = Array.from({ length: REQUESTS }, (_, i) => {
      const startsAt = new Date(hotActivity.startsAt.getTime() + (i + 1) * 3600_000)
      return Object.assign(new VolunteerActivity(), hotActivity, {
        id: randomUUID(),
        startsAt,
        endsAt: new Date(startsAt.getTime() + 2 * 3600_000),
        signupDeadline: new Date(startsAt.getTime() - 3600_000)
      })
    })
    await db.ds.getRepository(VolunteerActivity).insert(freeActivities)
    const volunteers = await createManyUsers(db.ds, 'volunteer', 2 * REQUESTS, 'volunteer')
    await approveManyVolunteers(db.ds, volunteers, territory.ca.code, territory.s1.code)
    const signUp = (volunteer: (typeof volunteers)[number], activityId: string): FiredRequest => ({
      method: 'POST',
      path: `/api/activities/${activityId}/signups`,
      headers: { Authorization: bearer(config, volunteer), 'Idempotency-Key': idemKey() },
      body: {}
    })
    const spreadSignups = await timed(() =>
      fireAtOnce(
        http.url,
        freeActivities.flatMap((a, i) => {
          const volunteer = volunteers[i]
          return volunteer ? [signUp(volunteer, a.id)] : []
        })
      )
    )
    const spreadSigned = {
      counter: (await db.ds.getRepository(VolunteerActivity).sum('signedUp', { id: In(freeActivities.map((a) => a.id)) })) ?? 0,
      rows: await db.ds.getRepository(ActivitySignup).countBy({ activityId: In(freeActivities.map((a) => a.id)), status: 'confirmed' })
    }
    const hotSignups = await timed(() =>
      fireAtOnce(
        http.url,
        volunteers.slice(REQUESTS).map((v) => signUp(v, hotActivity.id))
      )
    )
    const hotSigned = {
      counter: (await db.ds.getRepository(VolunteerActivity).findOneByOrFail({ id: hotActivity.id })).signedUp,
      rows: await db.ds.getRepository(ActivitySignup).countBy({ activityId: hotActivity.id, status: 'confirmed' })
    }
    const signupRuns = [
      describeSpread('activity sign-ups, spread', spreadSignups.result, spreadSignups.ms, spreadSigned),
      describeRun('activity sign-ups, hot activity', hotSignups.result, hotSignups.ms, hotSigned, '409 activity_full'),
      describeRatio('activity sign-ups', hotSignups.ms, spreadSignups.ms)
    ]
    const runs = [...bookingRuns, ...signupRuns]
    lines.push(...runs.map((r) => r.line))
    return { name: 'booking and sign-up contention', lines, ok: runs.every((r) => r.ok) }
  } finally {
    await http.close()
    await db.drop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
