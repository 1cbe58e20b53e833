// npm run bench: every benchmark, measured in this one run, each printing its figures and targets.
// Benchmarks that need MariaDB use TEST_MARIADB_URL (default mysql://root@127.0.0.1:3306).
import type { BenchResult } from './types'

const benches: Array<{ name: string; load: () => Promise<() => Promise<BenchResult>> }> = [
  { name: 'routing index', load: async () => (await import('./routing-index.bench')).benchRoutingIndex },
  { name: 'submission throughput', load: async () => (await import('./submission.bench')).benchSubmission },
  { name: 'inbox paging', load: async () => (await import('./inbox.bench')).benchInbox },
  { name: 'dashboards at scale', load: async () => (await import('./dashboard.bench')).benchDashboard },
  { name: 'booking and sign-up contention', load: async () => (await import('./contention.bench')).benchContention },
  { name: 'relay', load: async () => (await import('./relay.bench')).benchRelay },
  { name: 'lighthouse', load: async () => (await import('./lighthouse.bench')).benchLighthouse }
]

const only = process.argv.slice(2)
let failed = 0
for (const bench of benches) {
  if (only.length && !only.some((o) => bench.name.includes(o))) continue
  console.log(`\n=== ${bench.name} ===`)
  try {
    const run = await bench.load()
    const result = await run()
    for (const line of result.lines) console.log(line)
    console.log(result.ok ? `→ ${result.name}: targets met` : `→ ${result.name}: TARGET MISSED`)
    if (!result.ok) failed++
  } catch (err) {
    failed++
    const cause = (err as Error & { cause?: unknown }).cause
    console.log(`→ ${bench.name}: could not run: ${(err as Error).message}${cause ? ` (${String((cause as Error).message ?? cause)})` : ''}`)
  }
}
console.log(failed ? `\n${failed} benchmark(s) missed a target or could not run` : '\nall benchmarks met their targets')
process.exit(0)
