import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
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
  type FiredResult
} from '../test/services-factories'
import { createBenchDatabase } from './bench-db'
import type { BenchResult } from './types'

const REQUESTS = 500
const SEATS = 10
/** The production default (DB_POOL). */
const POOL = 10

function describeRun(label: string, results: FiredResult[], wallMs: number, stored: { counter: number; rows: number }, expectedRefusal: string): { line: string; ok: boolean } {
  const s = summariseFired(results)
  const counts = Object.entries(s.counts)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')
  const ok =
    s.counts['201'] === SEATS && s.counts[expectedRefusal] === REQUESTS - SEATS && Object.keys(s.counts).length === 2 && stored.counter === SEATS && stored.rows === SEATS
  return {
    ok,
    line: `${label}: ${REQUESTS} simultaneous requests for ${SEATS} seats → ${counts}; counter ${stored.counter}, rows ${stored.rows} (target exactly ${SEATS}); p50 ${s.p50.toFixed(0)} ms, p99 ${s.p99.toFixed(0)} ms, max ${s.max.toFixed(0)} ms, all done in ${wallMs.toFixed(0)} ms`
  }
}

/**
 * Booking and sign-up contention on MariaDB, over HTTP against the real app on loopback: 500
 * residents book one consultation slot of 10 seats at the same instant, then 500 approved volunteers
 * sign up for one activity of 10 seats. Prints the exact outcome counts and latency percentiles; the
 * target is exactly 10 successes each, the rest refused with 409 and nothing over capacity.
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

    const station = await createStationRow(db.ds, { communityCode: territory.ca.code, streetCode: territory.s1.code })
    const provider = await createProviderRow(db.ds, station.id)
    const slot = await createSlotRow(db.ds, station, provider, new Date(Date.now() + 24 * 3600_000), SEATS)
    const residents = await createManyUsers(db.ds, 'resident', REQUESTS)
    let started = performance.now()
    const bookings = await fireAtOnce(
      http.url,
      residents.map((r) => ({
        method: 'POST',
        path: '/api/legal/bookings',
        headers: { Authorization: bearer(config, r), 'Idempotency-Key': idemKey() },
        body: { slotId: slot.id, topic: '劳动争议', description: '拖欠工资' }
      }))
    )
    const bookingWall = performance.now() - started
    const booked = {
      counter: (await db.ds.getRepository(LegalSlot).findOneByOrFail({ id: slot.id })).booked,
      rows: await db.ds.getRepository(LegalBooking).countBy({ slotId: slot.id })
    }
    const bookingRun = describeRun('legal bookings', bookings, bookingWall, booked, '409 slot_full')

    const activity = await createActivityRow(db.ds, {
      communityCode: territory.ca.code,
      streetCode: territory.s1.code,
      startsAt: new Date(Date.now() + 48 * 3600_000),
      capacity: SEATS,
      createdBy: staff.csA.id
    })
    const volunteers = await createManyUsers(db.ds, 'volunteer', REQUESTS, 'volunteer')
    await approveManyVolunteers(db.ds, volunteers, territory.ca.code, territory.s1.code)
    started = performance.now()
    const signups = await fireAtOnce(
      http.url,
      volunteers.map((v) => ({
        method: 'POST',
        path: `/api/activities/${activity.id}/signups`,
        headers: { Authorization: bearer(config, v), 'Idempotency-Key': idemKey() },
        body: {}
      }))
    )
    const signupWall = performance.now() - started
    const signedUp = {
      counter: (await db.ds.getRepository(VolunteerActivity).findOneByOrFail({ id: activity.id })).signedUp,
      rows: await db.ds.getRepository(ActivitySignup).countBy({ activityId: activity.id, status: 'confirmed' })
    }
    const signupRun = describeRun('activity sign-ups', signups, signupWall, signedUp, '409 activity_full')
    lines.push(bookingRun.line, signupRun.line)
    return { name: 'booking and sign-up contention', lines, ok: bookingRun.ok && signupRun.ok }
  } finally {
    await http.close()
    await db.drop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
