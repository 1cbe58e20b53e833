#!/usr/bin/env node
// `npm run size`: prints the size of the weapp main package and of each subpackage from an existing
// production build in dist/weapp (it builds nothing), and fails over WeChat's limits:
//   any package > 2 MB → exit 1;  main package > 1 MB → warning (our own budget);  total > 20 MB → exit 1.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const PACKAGE_LIMIT_BYTES = 2 * 1024 * 1024
export const MAIN_BUDGET_BYTES = 1024 * 1024
export const TOTAL_LIMIT_BYTES = 20 * 1024 * 1024

function walk(dir, base = dir) {
  const out = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...walk(full, base))
    else out.push({ rel: path.relative(base, full).split(path.sep).join('/'), bytes: statSync(full).size })
  }
  return out
}

/**
 * Measures a weapp build: files under a subpackage root (from app.json) count for that subpackage,
 * everything else for the main package. WeChat does not ship source maps or licence notes, so
 * *.map files are left out; *.LICENSE.txt files are counted (they are in the uploaded folder).
 */
export function measureWeapp(distDir) {
  const appJsonPath = path.join(distDir, 'app.json')
  if (!existsSync(appJsonPath)) throw new Error(`No weapp build at ${distDir} (app.json missing). Run \`npm run build:weapp\` first.`)
  const appJson = JSON.parse(readFileSync(appJsonPath, 'utf8'))
  const roots = (appJson.subPackages ?? appJson.subpackages ?? []).map((p) => p.root.replace(/\/$/, ''))
  const packages = new Map([['main', 0], ...roots.map((r) => [r, 0])])
  for (const file of walk(distDir)) {
    if (file.rel.endsWith('.map')) continue
    const owner = roots.find((r) => file.rel === r || file.rel.startsWith(`${r}/`)) ?? 'main'
    packages.set(owner, (packages.get(owner) ?? 0) + file.bytes)
  }
  const total = [...packages.values()].reduce((a, b) => a + b, 0)
  const problems = []
  const warnings = []
  for (const [name, bytes] of packages) {
    if (bytes > PACKAGE_LIMIT_BYTES) problems.push(`${name} is ${kib(bytes)}, over WeChat's 2 MB limit per package`)
  }
  const main = packages.get('main') ?? 0
  if (main > MAIN_BUDGET_BYTES) warnings.push(`the main package is ${kib(main)}, over our 1 MB budget (WeChat's limit is 2 MB)`)
  if (total > TOTAL_LIMIT_BYTES) problems.push(`the whole app is ${kib(total)}, over 20 MB`)
  if (existsSync(path.join(distDir, 'prebundle'))) warnings.push('this looks like a development (watch) build; measure a production `npm run build:weapp`')
  return { packages: [...packages].map(([name, bytes]) => ({ name, bytes })), total, problems, warnings }
}

export function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`
}

function main() {
  const distDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/weapp')
  let report
  try {
    report = measureWeapp(distDir)
  } catch (err) {
    console.error(`✗ ${err.message}`)
    process.exit(1)
  }
  console.log('weapp package sizes (production build, dist/weapp):')
  for (const p of report.packages) {
    const limit = p.name === 'main' ? ' (budget 1 MB, limit 2 MB)' : ' (limit 2 MB)'
    console.log(`  ${(p.name === 'main' ? 'main package' : p.name).padEnd(20)} ${kib(p.bytes).padStart(12)}${limit}`)
  }
  console.log(`  ${'total'.padEnd(20)} ${kib(report.total).padStart(12)} (limit 20 MB)`)
  for (const w of report.warnings) console.warn(`⚠ ${w}`)
  for (const p of report.problems) console.error(`✗ ${p}`)
  if (report.problems.length > 0) process.exit(1)
  console.log('✓ within WeChat’s package limits')
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main()
