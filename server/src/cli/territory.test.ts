import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../../test/db'
import { SAMPLE_TERRITORY_PATH, readSampleTerritory } from '../../test/territory-fixtures'
import { runTerritoryCommand, UsageError } from './territory'

let db: TestDatabase
let dir: string
const out: string[] = []
const print = (line: string) => out.push(line)

beforeAll(async () => {
  db = await openTestDatabase()
  dir = mkdtempSync(path.join(tmpdir(), 'palm-territory-cli-'))
})
afterAll(async () => {
  await db.close()
  rmSync(dir, { recursive: true, force: true })
})

function run(...argv: string[]) {
  out.length = 0
  return runTerritoryCommand({ ds: db.ds, now: () => new Date() }, argv, print)
}

async function gridCount(): Promise<number> {
  return Number(((await db.ds.query('SELECT COUNT(*) AS n FROM grids')) as Array<{ n: number | string }>)[0]?.n)
}

describe('npm run territory', () => {
  it('import --dry-run prints the report, exits 0 and writes nothing', async () => {
    expect(await run('import', SAMPLE_TERRITORY_PATH, '--dry-run')).toBe(0)
    expect(out.join('\n')).toMatch(/Valid \(dry run: nothing written\)/)
    expect(out.join('\n')).toMatch(/Streets 1, communities 2, grids 4: 7 to create/)
    expect(await gridCount()).toBe(0)
  })

  it('import of a file with an overlap exits 1, names the code, the grids and the area, and writes nothing', async () => {
    const bad = readSampleTerritory()
    const grid = bad.features.find((f) => f.properties.code === '066-901')
    if (grid)
      grid.geometry = {
        type: 'Polygon',
        coordinates: [
          [
            [113.28, 40.03],
            [113.29, 40.03],
            [113.29, 40.041],
            [113.28, 40.041],
            [113.28, 40.03]
          ]
        ]
      }
    const file = path.join(dir, 'bad.geojson')
    writeFileSync(file, JSON.stringify(bad))
    expect(await run('import', file)).toBe(1)
    expect(out.join('\n')).toMatch(/overlap \[grid 066-90[12]\] \(\d+(\.\d)? m²\)/)
    expect(await gridCount()).toBe(0)
  })

  it('import writes, then export gives back the same territory', async () => {
    expect(await run('import', SAMPLE_TERRITORY_PATH)).toBe(0)
    expect(await gridCount()).toBe(4)
    const file = path.join(dir, 'export.geojson')
    expect(await run('export', file)).toBe(0)
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { coordinateSystem: string; features: unknown[] }
    expect(exported.coordinateSystem).toBe('WGS-84')
    expect(exported.features).toHaveLength(7)
    expect(await run('import', file, '--dry-run')).toBe(0)
    expect(out.join('\n')).toMatch(/0 to create, 0 to update, 7 unchanged/)
  })

  it('refuses an unknown command with usage', async () => {
    await expect(run('delete')).rejects.toBeInstanceOf(UsageError)
  })
})
