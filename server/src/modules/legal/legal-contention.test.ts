import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { bearer } from '../../../test/factories'
import { createManyUsers, createProviderRow, createServiceTerritory, createSlotRow, createStationRow, fireAtOnce, idemKey, listenOnLoopback, summariseFired } from '../../../test/services-factories'
import { recordWrites } from '../../../test/write-recorder'
import { LegalBooking, LegalSlot } from './legal.entity'

const NOW = new Date('2026-12-01T02:00:00Z')
const SEATS = 10
const REQUESTS = 500

let t: TestContext
let http: { url: string; close: () => Promise<void> }
let territory: Awaited<ReturnType<typeof createServiceTerritory>>
beforeAll(async () => {
  t = await createTestContext()
  t.setNow(NOW)
  http = await listenOnLoopback(t.server)
  territory = await createServiceTerritory(t.db.ds)
})
afterAll(async () => {
  await http.close()
  await t.close()
})

describe('a slot under contention', () => {
  it(`gives exactly ${SEATS} of ${REQUESTS} simultaneous bookings a seat, and refuses the rest with 409 slot_full`, async () => {
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

describe('a full slot refuses at once (issue 12.4)', () => {
  const book = (user: Parameters<typeof bearer>[1], slotId: string) =>
    fetch(`${http.url}/api/legal/bookings`, {
      method: 'POST',
      headers: { Authorization: bearer(t.deps.config, user), 'Idempotency-Key': idemKey(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ slotId, topic: '劳动争议', description: '拖欠工资' })
    })

  it('answers 409 slot_full as the locking path did, without inserting a booking or running the seat UPDATE', async () => {
    const station = await createStationRow(t.db.ds, { communityCode: territory.ca.code, streetCode: territory.s1.code, name: '快速拒绝测试站' })
    const provider = await createProviderRow(t.db.ds, station.id)
    const slot = await createSlotRow(t.db.ds, station, provider, new Date(NOW.getTime() + 24 * 3600_000), 1)
    const [holder, late] = await createManyUsers(t.db.ds, 'resident', 2, 'fast-refusal')
    if (!holder || !late) throw new Error('two residents were made')
    expect((await book(holder, slot.id)).status).toBe(201)

    const bookingWrites = recordWrites(t.db.ds, LegalBooking)
    const slotWrites = recordWrites(t.db.ds, LegalSlot)
    try {
      const refused = await book(late, slot.id)
      expect(refused.status).toBe(409)
      expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/)
      // The body the conditional UPDATE's refusal has always had (same code, detail and type).
      expect(await refused.json()).toMatchObject({ status: 409, code: 'slot_full', type: '/problems/slot-full', detail: 'This slot is fully booked.' })
      // The holder asking again still hears already_booked, as the unique index answered before.
      const again = await book(holder, slot.id)
      expect(again.status).toBe(409)
      expect(await again.json()).toMatchObject({ code: 'already_booked', detail: 'You already hold a booking for this slot.' })
      expect(bookingWrites.inserts).toBe(0)
      expect(slotWrites.updates).toBe(0)
    } finally {
      bookingWrites.stop()
      slotWrites.stop()
    }
    expect((await t.db.ds.getRepository(LegalSlot).findOneByOrFail({ id: slot.id })).booked).toBe(1)
    expect(await t.db.ds.getRepository(LegalBooking).countBy({ slotId: slot.id })).toBe(1)
  })
})
