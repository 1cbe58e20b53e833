import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { TerritoryImportReportSchema, type TerritoryImportReport } from '@palm/shared'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { bearer, createUser } from '../../../test/factories'
import { seedTerritory } from '../demo/index'
import { generateTerritory } from '../../../test/territory-fixtures'

/** Generous: the figures in docs/territory-import.md are ~1–3 s on the 2-core machine; this only catches a blow-up. */
const BOUND_MS = 30_000

let t: TestContext | undefined
afterEach(async () => {
  await t?.close()
  t = undefined
})

async function importAs(ctx: TestContext, body: unknown, dryRun: boolean): Promise<TerritoryImportReport> {
  const admin = await createUser(ctx.deps.ds, 'district_admin')
  const res = await request(ctx.server)
    .post(`/api/admin/territory/import?dryRun=${dryRun}`)
    .set('Authorization', bearer(ctx.deps.config, admin))
    .send(body as object)
  expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200)
  return TerritoryImportReportSchema.parse(res.body)
}

describe('territory import at district scale', () => {
  it('validates the exported demo territory (18 streets, 203 communities, 720 grids) and re-imports it idempotently', { timeout: 120_000 }, async () => {
    t = await createTestContext()
    await seedTerritory(t.deps)
    const admin = await createUser(t.deps.ds, 'district_admin')
    const exported = await request(t.server).get('/api/admin/territory/export').set('Authorization', bearer(t.deps.config, admin))
    const dry = await importAs(t, exported.body, true)
    console.log(`demo territory dry run: ${dry.tookMs} ms`)
    expect(dry).toMatchObject({ valid: true, errors: [], counts: { streets: 18, communities: 203, grids: 720, created: 0, removed: 0 } })
    expect(dry.tookMs).toBeLessThan(BOUND_MS)
    // streets and communities gain the boundaries the export derived from their grids; grids are unchanged
    expect(dry.counts.updated).toBe(18 + 203)
    const written = await importAs(t, exported.body, false)
    expect(written.written).toBe(true)
    const again = await importAs(t, exported.body, false)
    expect(again).toMatchObject({ written: false, counts: { created: 0, updated: 0, unchanged: 18 + 203 + 720 } })
  })

  it('validates and imports a generated 1,000-grid file', { timeout: 120_000 }, async () => {
    t = await createTestContext()
    const file = generateTerritory()
    const dry = await importAs(t, file, true)
    console.log(`1,000-grid dry run: ${dry.tookMs} ms (${JSON.stringify(file).length} bytes)`)
    expect(dry).toMatchObject({ valid: true, errors: [], counts: { streets: 10, communities: 50, grids: 1000, created: 1060 } })
    expect(dry.tookMs).toBeLessThan(BOUND_MS)
    const written = await importAs(t, file, false)
    console.log(`1,000-grid import: ${written.tookMs} ms`)
    expect(written).toMatchObject({ written: true, counts: { created: 1060 } })
  })
})
