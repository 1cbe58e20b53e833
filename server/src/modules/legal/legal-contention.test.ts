import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { bearer } from '../../../test/factories'
import {
  createManyUsers,
  createProviderRow,
  createServiceTerritory,
  createSlotRow,
  createStationRow,
  fireAtOnce,
  idemKey,
  listenOnLoopback,
  summariseFired
} from '../../../test/services-factories'
import { LegalBooking, LegalSlot } from './legal.entity'

const NOW = new Date('2026-12-01T02:00:00Z')
const SEATS = 10
const REQUESTS = 500

let t: TestContext
let http: { url: string; close: () => Promise<void> }
beforeAll(async () => {
  t = await createTestContext()
  t.setNow(NOW)
  http = await listenOnLoopback(t.server)
})
afterAll(async () => {
  await http.close()
  await t.close()
})

describe('a slot under contention', () => {
  it(`gives exactly ${SEATS} of ${REQUESTS} simultaneous bookings a seat, and refuses the rest with 409 slot_full`, async () => {
    const territory = await createServiceTerritory(t.db.ds)
    const station = await createStationRow(t.db.ds, { communityCode: territory.ca.code, streetCode: territory.s1.code })
    const provider = await createProviderRow(t.db.ds, station.id)
    const slot = await createSlotRow(t.db.ds, station, provider, new Date(NOW.getTime() + 24 * 3600_000), SEATS)
    const residents = await createManyUsers(t.db.ds, 'resident', REQUESTS)

    const results = await fireAtOnce(
      http.url,
      residents.map((r) => ({
        method: 'POST',
        path: '/api/legal/bookings',
        headers: { Authorization: bearer(t.deps.config, r), 'Idempotency-Key': idemKey() },
        body: { slotId: slot.id, topic: '劳动争议', description: '拖欠工资' }
      }))
    )
    const summary = summariseFired(results)
    expect(summary.counts).toEqual({ '201': SEATS, '409 slot_full': REQUESTS - SEATS })
    expect((await t.db.ds.getRepository(LegalSlot).findOneByOrFail({ id: slot.id })).booked).toBe(SEATS)
    expect(await t.db.ds.getRepository(LegalBooking).countBy({ slotId: slot.id })).toBe(SEATS)
  })
})
