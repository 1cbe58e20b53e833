import { randomUUID } from 'node:crypto'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProblemSchema, TerritoryImportLimits, TerritoryImportReportSchema, type TerritoryIssueCode } from '@palm/shared'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { bearer, createUser } from '../../../test/factories'
import type { User } from '../auth/user.entity'
import { readSampleTerritory } from '../../../test/territory-fixtures'

type SampleFile = ReturnType<typeof readSampleTerritory>
type Ring = Array<[number, number]>

let t: TestContext
let admin: User
beforeAll(async () => {
  t = await createTestContext()
  admin = await createUser(t.deps.ds, 'district_admin')
})
afterAll(async () => {
  await t.close()
})

function post(body: unknown, dryRun: boolean, user: Pick<User, 'id' | 'role'> = admin) {
  return request(t.server)
    .post(`/api/admin/territory/import?dryRun=${dryRun}`)
    .set('Authorization', bearer(t.deps.config, user))
    .send(body as object)
}

/** Everything an import could write, as one comparable value. */
async function snapshot() {
  const ds = t.deps.ds
  return {
    streets: await ds.query('SELECT code, name, polygon FROM streets ORDER BY code'),
    communities: await ds.query('SELECT code, street_code, name, polygon FROM communities ORDER BY code'),
    grids: await ds.query('SELECT code, community_code, name, polygon FROM grids ORDER BY code'),
    version: await ds.query('SELECT version FROM territory_versions')
  }
}

function sample(edit: (f: SampleFile) => void = () => undefined): SampleFile {
  const file = readSampleTerritory()
  edit(file)
  return file
}

function feature(file: SampleFile, code: string) {
  const found = file.features.find((f) => f.properties.code === code)
  if (!found) throw new Error(`no feature ${code}`)
  return found
}

function setRing(file: SampleFile, code: string, ring: Ring) {
  feature(file, code).geometry = { type: 'Polygon', coordinates: [ring] }
}

/** Posts a real (not dry) import of a bad file: 422 territory_invalid, the issue code in the report, nothing written. */
async function expectRefused(file: unknown, issue: TerritoryIssueCode, featureCode?: string) {
  const before = await snapshot()
  const res = await post(file, false)
  expect(res.status).toBe(422)
  expect(ProblemSchema.parse(res.body).code).toBe('territory_invalid')
  const report = TerritoryImportReportSchema.parse((res.body as { report: unknown }).report)
  expect(report.valid).toBe(false)
  expect(report.written).toBe(false)
  const found = report.errors.find((e) => e.code === issue)
  expect(found, JSON.stringify(report.errors)).toBeDefined()
  if (featureCode) expect(report.errors.filter((e) => e.code === issue).map((e) => e.featureCode)).toContain(featureCode)
  expect(await snapshot()).toEqual(before)
  return report
}

describe('POST /api/admin/territory/import, bad files (each refused, nothing written)', () => {
  it('refuses a grid whose geometry is a LineString: invalid_geometry_type', async () => {
    await expectRefused(
      sample((f) => {
        feature(f, '066-901').geometry = {
          type: 'LineString',
          coordinates: [
            [113.28, 40.03],
            [113.29, 40.04]
          ]
        } as never
      }),
      'invalid_geometry_type',
      '066-901'
    )
  })

  it('refuses an unclosed ring: unclosed_ring', async () => {
    await expectRefused(
      sample((f) =>
        setRing(f, '066-901', [
          [113.28, 40.03],
          [113.29, 40.03],
          [113.29, 40.04],
          [113.28, 40.04]
        ])
      ),
      'unclosed_ring',
      '066-901'
    )
  })

  it('refuses a ring of three positions: too_few_points', async () => {
    await expectRefused(
      sample((f) =>
        setRing(f, '066-901', [
          [113.28, 40.03],
          [113.29, 40.03],
          [113.28, 40.03]
        ])
      ),
      'too_few_points',
      '066-901'
    )
  })

  it('refuses a self-intersecting (bow-tie) grid: self_intersection', async () => {
    await expectRefused(
      sample((f) =>
        setRing(f, '066-901', [
          [113.28, 40.03],
          [113.29, 40.04],
          [113.29, 40.03],
          [113.28, 40.04],
          [113.28, 40.03]
        ])
      ),
      'self_intersection',
      '066-901'
    )
  })

  it('refuses coordinates outside the district: outside_district', async () => {
    await expectRefused(
      sample((f) =>
        setRing(f, '066-901', [
          [116.3, 39.9],
          [116.31, 39.9],
          [116.31, 39.91],
          [116.3, 39.91],
          [116.3, 39.9]
        ])
      ),
      'outside_district',
      '066-901'
    )
  })

  it('refuses a grid reaching out of its community, with the area outside in m²: outside_parent', async () => {
    const report = await expectRefused(
      sample((f) =>
        setRing(f, '066-901', [
          [113.28, 40.03],
          [113.295, 40.03],
          [113.295, 40.04],
          [113.28, 40.04],
          [113.28, 40.03]
        ])
      ),
      'outside_parent',
      '066-901'
    )
    const issue = report.errors.find((e) => e.code === 'outside_parent' && e.featureCode === '066-901')
    // 0.005° × 0.01° at N40: about 426 m × 1,112 m
    expect(issue?.areaM2).toBeGreaterThan(400_000)
    expect(issue?.areaM2).toBeLessThan(550_000)
  })

  it('refuses two sibling grids that overlap, with the overlap in m²: overlap', async () => {
    const report = await expectRefused(
      sample((f) =>
        setRing(f, '066-901', [
          [113.28, 40.03],
          [113.29, 40.03],
          [113.29, 40.041],
          [113.28, 40.041],
          [113.28, 40.03]
        ])
      ),
      'overlap'
    )
    const issue = report.errors.find((e) => e.code === 'overlap')
    expect([issue?.featureCode, issue?.otherCode].sort()).toEqual(['066-901', '066-902'])
    expect(issue?.areaM2).toBeGreaterThan(80_000) // 0.01° × 0.001°: about 852 m × 111 m
  })

  it('refuses a gap between grids of a community, with its area in m²: gap', async () => {
    const report = await expectRefused(
      sample((f) =>
        setRing(f, '066-901', [
          [113.28, 40.03],
          [113.29, 40.03],
          [113.29, 40.039],
          [113.28, 40.039],
          [113.28, 40.03]
        ])
      ),
      'gap',
      '140213066001'
    )
    expect(report.errors.find((e) => e.code === 'gap')?.areaM2).toBeGreaterThan(80_000)
  })

  it('lets a sliver overlap under the 50 m² tolerance through as a warning, with its area', async () => {
    const before = await snapshot()
    // a 3 m high, 17 m wide bump of 066-901 into 066-902
    const file = sample((f) =>
      setRing(f, '066-901', [
        [113.28, 40.03],
        [113.29, 40.03],
        [113.29, 40.04],
        [113.2852, 40.04],
        [113.2851, 40.04003],
        [113.285, 40.04],
        [113.28, 40.04],
        [113.28, 40.03]
      ])
    )
    const report = TerritoryImportReportSchema.parse((await post(file, true)).body)
    expect(report.valid).toBe(true)
    const sliver = report.warnings.find((w) => w.code === 'overlap')
    expect(sliver?.areaM2).toBeGreaterThan(TerritoryImportLimits.ignoreAreaM2)
    expect(sliver?.areaM2).toBeLessThanOrEqual(TerritoryImportLimits.toleranceAreaM2)
    expect(await snapshot()).toEqual(before)
  })

  it('refuses the same grid code twice: duplicate_code', async () => {
    await expectRefused(
      sample((f) => {
        feature(f, '066-902').properties.code = '066-901'
      }),
      'duplicate_code',
      '066-901'
    )
  })

  it('refuses a grid whose parent community is not in the file: unknown_parent', async () => {
    await expectRefused(
      sample((f) => {
        feature(f, '066-901').properties.parentCode = '140213066009'
      }),
      'unknown_parent',
      '066-901'
    )
  })

  it('refuses a grid without a name: missing_name', async () => {
    await expectRefused(
      sample((f) => {
        feature(f, '066-901').properties.name = '  '
      }),
      'missing_name',
      '066-901'
    )
  })

  it('refuses a street code that is not one of the 18: unknown_street', async () => {
    await expectRefused(
      sample((f) => {
        feature(f, '140213066').properties.code = '140213099'
      }),
      'unknown_street',
      '140213099'
    )
  })

  it('answers 400 unsupported_coordinate_system to a file declaring another system, writing nothing', async () => {
    const before = await snapshot()
    const res = await post({ ...sample(), coordinateSystem: 'EPSG:3857' }, false)
    expect(res.status).toBe(400)
    expect(ProblemSchema.parse(res.body).code).toBe('unsupported_coordinate_system')
    expect(await snapshot()).toEqual(before)
  })

  it('answers 400 unsupported_coordinate_system to a file declaring none', async () => {
    const { coordinateSystem: _, ...file } = sample()
    const res = await post(file, true)
    expect(res.status).toBe(400)
    expect(ProblemSchema.parse(res.body).code).toBe('unsupported_coordinate_system')
  })

  it('answers 400 territory_file_invalid to a body that is not a FeatureCollection', async () => {
    const res = await post({ type: 'Feature', properties: {} }, false)
    expect(res.status).toBe(400)
    expect(ProblemSchema.parse(res.body).code).toBe('territory_file_invalid')
  })

  it(`answers 413 payload_too_large above ${TerritoryImportLimits.maxBytes / 1024 / 1024} MB, writing nothing`, async () => {
    const before = await snapshot()
    const padding = 'x'.repeat(TerritoryImportLimits.maxBytes + 1024)
    const res = await request(t.server)
      .post('/api/admin/territory/import?dryRun=false')
      .set('Authorization', bearer(t.deps.config, admin))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ ...sample(), padding }))
    expect(res.status).toBe(413)
    expect(ProblemSchema.parse(res.body).code).toBe('payload_too_large')
    expect(await snapshot()).toEqual(before)
  })

  it('keeps the small body limit on every other route', async () => {
    const res = await request(t.server)
      .post('/api/auth/refresh')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ refreshToken: 'x'.repeat(200 * 1024) }))
    expect(res.status).toBe(413)
  })

  it('answers 403 to a street admin and 401 without sign-in, writing nothing', async () => {
    const before = await snapshot()
    const streetAdmin = await createUser(t.deps.ds, 'street_admin', { streetCode: '140213066' })
    const res = await post(sample(), false, streetAdmin)
    expect(res.status).toBe(403)
    expect(ProblemSchema.parse(res.body).code).toBe('forbidden')
    expect((await request(t.server).post('/api/admin/territory/import?dryRun=false').send(sample())).status).toBe(401)
    expect((await request(t.server).get('/api/admin/territory/export').set('Authorization', bearer(t.deps.config, streetAdmin))).status).toBe(403)
    expect(await snapshot()).toEqual(before)
  })
})

describe('POST /api/admin/territory/import, the sample file', () => {
  it('dry run: reports 7 to create and writes nothing', async () => {
    const before = await snapshot()
    const res = await post(sample(), true)
    expect(res.status).toBe(200)
    const report = TerritoryImportReportSchema.parse(res.body)
    expect(report).toMatchObject({ valid: true, dryRun: true, written: false, errors: [] })
    expect(report.counts).toEqual({ streets: 1, communities: 2, grids: 4, created: 7, updated: 0, unchanged: 0, removed: 0 })
    expect(await snapshot()).toEqual(before)
  })

  it('imports: the grids are written, the version bumped, and locate finds them at once', async () => {
    const before = await snapshot()
    const res = await post(sample(), false)
    expect(res.status).toBe(200)
    const report = TerritoryImportReportSchema.parse(res.body)
    expect(report).toMatchObject({ valid: true, written: true, version: Number((before.version as Array<{ version: number }>)[0]?.version) + 1 })
    expect(report.counts.created).toBe(7)
    const located = await request(t.server).get('/api/territory/locate').query({ lat: 40.035, lng: 113.285 })
    expect(located.status).toBe(200)
    expect(located.body).toMatchObject({ street: { code: '140213066' }, community: { code: '140213066001', name: '永和社区' }, grid: { code: '066-901' } })
  })

  it('a second import of the same file finds everything unchanged and writes nothing', async () => {
    const before = await snapshot()
    const report = TerritoryImportReportSchema.parse((await post(sample(), false)).body)
    expect(report.counts).toMatchObject({ created: 0, updated: 0, unchanged: 7, removed: 0 })
    expect(report.written).toBe(false)
    expect(await snapshot()).toEqual(before)
  })

  it('exports the territory in the same format, and importing the export changes nothing', async () => {
    const res = await request(t.server).get('/api/admin/territory/export').set('Authorization', bearer(t.deps.config, admin))
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ type: 'FeatureCollection', coordinateSystem: 'WGS-84' })
    expect((res.body as SampleFile).features).toHaveLength(7)
    const report = TerritoryImportReportSchema.parse((await post(res.body, true)).body)
    expect(report.counts).toMatchObject({ created: 0, updated: 0, unchanged: 7 })
  })

  it('converts a GCJ-02 file to WGS-84 (gcoord) and says so', async () => {
    const res = await post({ ...sample(), coordinateSystem: 'GCJ-02' }, true)
    const report = TerritoryImportReportSchema.parse(res.body)
    expect(report.coordinateSystem).toEqual({ declared: ['GCJ-02'], stored: 'WGS-84', converted: true })
    // the same numbers read as GCJ-02 lie ~500 m away in WGS-84: every feature changes
    expect(report.counts).toMatchObject({ updated: 7, unchanged: 0 })
  })

  it('accepts the three files of the three levels in one array', async () => {
    const file = sample()
    const byLevel = (level: string) => ({ ...file, features: file.features.filter((f) => f.properties.level === level) })
    const report = TerritoryImportReportSchema.parse((await post([byLevel('street'), byLevel('community'), byLevel('grid')], true)).body)
    expect(report).toMatchObject({ valid: true, counts: { unchanged: 7 } })
  })
})

describe('POST /api/admin/territory/import, another street', () => {
  it('refuses a grid of another street that overlaps a stored grid of 水泊寺: overlap, naming the stored grid', async () => {
    const ring: Ring = [
      [113.285, 40.035],
      [113.295, 40.035],
      [113.295, 40.045],
      [113.285, 40.045],
      [113.285, 40.035]
    ]
    const file = {
      type: 'FeatureCollection',
      coordinateSystem: 'WGS-84',
      features: [
        { type: 'Feature', properties: { level: 'street', code: '140213067', name: '小南头街道' }, geometry: null },
        { type: 'Feature', properties: { level: 'community', code: '140213067001', name: '示例社区', parentCode: '140213067' }, geometry: null },
        { type: 'Feature', properties: { level: 'grid', code: '067-901', name: '示例网格', parentCode: '140213067001' }, geometry: { type: 'Polygon', coordinates: [ring] } }
      ]
    }
    const report = await expectRefused(file, 'overlap', '067-901')
    expect(
      report.errors
        .filter((e) => e.code === 'overlap')
        .map((e) => e.otherCode)
        .sort()
    ).toEqual(['066-901', '066-902', '066-903', '066-904'])
  })
})

describe('POST /api/admin/territory/import, grids that open tickets use', () => {
  const merged = () =>
    sample((f) => {
      f.features = f.features.filter((x) => x.properties.code !== '066-902')
      setRing(f, '066-901', [
        [113.28, 40.03],
        [113.29, 40.03],
        [113.29, 40.05],
        [113.28, 40.05],
        [113.28, 40.03]
      ])
    })

  it('dry run of a file without grid 066-902 warns that it will be removed (nothing uses it yet)', async () => {
    const report = TerritoryImportReportSchema.parse((await post(merged(), true)).body)
    expect(report.valid).toBe(true)
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'removed', featureCode: '066-902' }))
    expect(report.counts.removed).toBe(1)
  })

  it('refuses to remove a grid an open ticket and a grid worker use, naming both: removed_in_use', async () => {
    const resident = await createUser(t.deps.ds, 'resident')
    const submitted = await request(t.server)
      .post('/api/tickets')
      .set('Authorization', bearer(t.deps.config, resident))
      .set('Idempotency-Key', randomUUID())
      .send({ kind: 'report', category: 'sanitation', description: '楼道里垃圾堆积三天无人清运', location: { lat: 40.045, lng: 113.285 } })
    expect(submitted.status).toBe(201)
    const ticket = submitted.body as { number: string; grid?: { code: string } }
    expect(ticket.grid?.code).toBe('066-902')
    await createUser(t.deps.ds, 'grid_worker', { username: 'gw-066-902', gridCode: '066-902', communityCode: '140213066001', streetCode: '140213066' })
    const report = await expectRefused(merged(), 'removed_in_use', '066-902')
    const issue = report.errors.find((e) => e.code === 'removed_in_use')
    expect(issue?.ticketNumbers).toEqual([ticket.number])
    expect(issue?.staffAccounts).toEqual(['gw-066-902'])
  })

  it('a file without a whole community lists it and its grids as removed first, then removes them (nothing uses them)', async () => {
    const file = sample((f) => {
      f.features = f.features.filter((x) => x.properties.code !== '140213066002' && x.properties.parentCode !== '140213066002')
      setRing(f, '140213066', [
        [113.28, 40.03],
        [113.29, 40.03],
        [113.29, 40.05],
        [113.28, 40.05],
        [113.28, 40.03]
      ])
    })
    const report = TerritoryImportReportSchema.parse((await post(file, true)).body)
    expect(report.errors).toEqual([])
    expect(
      report.warnings
        .filter((w) => w.code === 'removed')
        .map((w) => w.featureCode)
        .sort()
    ).toEqual(['066-903', '066-904', '140213066002'])
    expect(report.counts.removed).toBe(3)
    const written = TerritoryImportReportSchema.parse((await post(file, false)).body)
    expect(written).toMatchObject({ written: true, counts: { removed: 3 } })
    const gone = await request(t.server).get('/api/territory/locate').query({ lat: 40.035, lng: 113.295 })
    expect(gone.status).toBe(404)
  })

  it('refuses to move that grid to another community: moved_in_use', async () => {
    await expectRefused(
      sample((f) => {
        for (const x of f.features) if (x.properties.level !== 'grid') x.geometry = null
        feature(f, '066-902').properties.parentCode = '140213066002'
      }),
      'moved_in_use',
      '066-902'
    )
  })
})
