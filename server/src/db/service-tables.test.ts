import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../../test/db'

const SERVICE_TABLES = [
  'testing_points',
  'testing_point_supports',
  'legal_stations',
  'legal_providers',
  'legal_schedules',
  'legal_slots',
  'legal_bookings',
  'hazard_entries',
  'hazard_entry_events',
  'volunteers',
  'volunteer_activities',
  'activity_signups',
  'volunteer_awards',
  'anti_fraud_alerts'
]

let db: TestDatabase
beforeAll(async () => {
  db = await openTestDatabase()
})
afterAll(async () => {
  await db.close()
})

describe('services migration', () => {
  it('matches the entities exactly (no pending schema change on the service tables)', async () => {
    const pending = await db.ds.driver.createSchemaBuilder().log()
    const mine = pending.upQueries.map((q) => q.query).filter((sql) => SERVICE_TABLES.some((t) => sql.includes(`${t}\``) || sql.includes(`"${t}"`) || sql.includes(`'${t}'`)))
    expect(mine).toEqual([])
  })
})
