#!/usr/bin/env node
/**
 * The module boundaries of docs/style.md, checked over server/src/modules: which module folder
 * imports which (tests left out), the cycles among them, and imports that reach into another
 * module past its index.ts. Exits 1 when there is a cycle (`--report`: never), and with `--strict`
 * also when an import bypasses an index.ts. `npm run lint` runs it with `--report` until the
 * cycles are gone; `npm run lint:modules` is the failing form.
 *
 *   node scripts/lint/module-graph.mjs [--report] [--strict] [--graph] [--bypasses]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const modulesDir = path.join(root, 'server/src/modules')
const strict = process.argv.includes('--strict')
const printGraph = process.argv.includes('--graph')
const reportOnly = process.argv.includes('--report')
const listBypasses = strict || process.argv.includes('--bypasses')

/** Every non-test TypeScript file under dir. */
function sourceFiles(dir) {
  const out = []
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full))
    else if (/\.ts$/.test(name) && !/\.test\.ts$/.test(name) && !/\.d\.ts$/.test(name)) out.push(full)
  }
  return out
}

/** The module folder a path lies in (`tickets` for modules/tickets/commands/x.ts), or undefined outside modules/. */
function moduleOf(file) {
  const rel = path.relative(modulesDir, file)
  if (rel.startsWith('..') || !rel.includes(path.sep)) return undefined
  return rel.split(path.sep)[0]
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g

const edges = new Map() // module → Map(module → first file that imports it)
const bypasses = []
for (const file of sourceFiles(modulesDir)) {
  const from = moduleOf(file)
  if (!from) continue
  const text = readFileSync(file, 'utf8')
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2]
    const target = path.resolve(path.dirname(file), spec)
    const to = moduleOf(target) ?? moduleOf(target + '.ts')
    if (!to || to === from) continue
    if (!edges.has(from)) edges.set(from, new Map())
    if (!edges.get(from).has(to)) edges.get(from).set(to, path.relative(root, file))
    const inside = path.relative(path.join(modulesDir, to), target)
    if (inside !== 'index' && inside !== '' && inside !== 'index.ts') bypasses.push(`${path.relative(root, file)} → ${spec}`)
  }
}

/** Tarjan's strongly connected components: every component of more than one module is a cycle. */
function cycles() {
  let index = 0
  const stack = []
  const state = new Map()
  const found = []
  const visit = (v) => {
    state.set(v, { index, low: index, onStack: true })
    index++
    stack.push(v)
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!state.has(w)) {
        visit(w)
        state.get(v).low = Math.min(state.get(v).low, state.get(w).low)
      } else if (state.get(w).onStack) state.get(v).low = Math.min(state.get(v).low, state.get(w).index)
    }
    if (state.get(v).low === state.get(v).index) {
      const component = []
      let w
      do {
        w = stack.pop()
        state.get(w).onStack = false
        component.push(w)
      } while (w !== v)
      if (component.length > 1) found.push(component.sort())
    }
  }
  for (const v of edges.keys()) if (!state.has(v)) visit(v)
  return found
}

const found = cycles()
if (printGraph) for (const [from, tos] of [...edges].sort()) console.log(`${from} → ${[...tos.keys()].sort().join(', ')}`)
const mutual = []
for (const [from, tos] of edges) for (const [to, file] of tos) if (from < to && edges.get(to)?.has(from)) mutual.push(`${from} ⇄ ${to} (${file}; ${edges.get(to).get(from)})`)
for (const component of found) {
  console.log(`module cycle among ${component.length} modules: ${component.join(', ')}`)
  if (!reportOnly) for (const from of component) for (const [to, file] of edges.get(from) ?? []) if (component.includes(to)) console.log(`  ${from} → ${to} (${file})`)
}
if (mutual.length) console.log(`modules importing each other:\n  ${mutual.sort().join('\n  ')}`)
if (listBypasses && bypasses.length) {
  console.log(`${bypasses.length} import(s) reach past another module's index.ts:`)
  for (const b of bypasses) console.log(`  ${b}`)
}
const modules = new Set([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])])
console.log(`module graph: ${modules.size} modules, ${found.length} cycle(s), ${bypasses.length} import(s) past an index.ts${reportOnly ? ' (report only)' : ''}`)
process.exitCode = !reportOnly && (found.length > 0 || (strict && bypasses.length > 0)) ? 1 : 0
