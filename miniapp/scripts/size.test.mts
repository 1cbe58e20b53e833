import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM script without type declarations
import { measureWeapp } from './size.mjs'

interface Report {
  packages: Array<{ name: string; bytes: number }>
  total: number
  problems: string[]
  warnings: string[]
}
const measure = measureWeapp as (dir: string) => Report

const dirs: string[] = []
function fakeBuild(files: Record<string, number>, subPackages = ['packages/report', 'packages/staff']): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'weapp-size-'))
  dirs.push(dir)
  writeFileSync(path.join(dir, 'app.json'), JSON.stringify({ pages: ['pages/home/index'], subPackages: subPackages.map((root) => ({ root, pages: [] })) }))
  for (const [rel, bytes] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
    writeFileSync(path.join(dir, rel), Buffer.alloc(bytes, 97))
  }
  return dir
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

const MB = 1024 * 1024

describe('npm run size (scripts/size.mjs)', () => {
  it('counts files under a subpackage root for that subpackage and the rest for the main package', () => {
    const r = measure(fakeBuild({ 'app.js': 1000, 'pages/home/index.js': 500, 'packages/report/new/index.js': 300, 'packages/staff/inbox/index.js': 200, 'app.js.map': 9999 }))
    const byName = Object.fromEntries(r.packages.map((p) => [p.name, p.bytes]))
    expect(byName.main).toBe(
      1000 +
        500 +
        JSON.stringify({
          pages: ['pages/home/index'],
          subPackages: [
            { root: 'packages/report', pages: [] },
            { root: 'packages/staff', pages: [] }
          ]
        }).length
    )
    expect(byName['packages/report']).toBe(300)
    expect(byName['packages/staff']).toBe(200)
    expect(r.problems).toEqual([])
  })

  it('fails a subpackage over 2 MB', () => {
    const r = measure(fakeBuild({ 'app.js': 1000, 'packages/staff/big.js': 2 * MB + 1 }))
    expect(r.problems.join()).toMatch(/packages\/staff .* over WeChat's 2 MB limit/)
  })

  it('fails a main package over 2 MB and warns over 1 MB', () => {
    expect(measure(fakeBuild({ 'vendors.js': 2 * MB + 1 })).problems.join()).toMatch(/^main /)
    const warned = measure(fakeBuild({ 'vendors.js': MB + 1 }))
    expect(warned.problems).toEqual([])
    expect(warned.warnings.join()).toMatch(/1 MB budget/)
  })

  it('refuses to measure a missing build', () => {
    expect(() => measure(path.join(tmpdir(), 'no-such-weapp-build'))).toThrow(/build:weapp/)
  })
})
