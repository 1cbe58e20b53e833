import { pathToFileURL } from 'node:url'
import type { DataSource } from 'typeorm'
import { ConfigError, loadConfig } from '../config'
import { openDatabase } from '../db/data-source'
import { verifyAuditChain } from '../modules/audit/index'

const USAGE = `The audit trail (docs/audit.md).

  npm run audit -- verify
      recomputes the hash chain of audit_events; prints "intact" and exits 0, or names every
      changed or missing row and exits 1.`

type Print = (line: string) => void

/** Runs one command and answers the exit code (2 for a wrong command line). Exported for the test. */
export async function runAuditCommand(ds: DataSource, argv: string[], print: Print): Promise<number> {
  const [command] = argv
  if (command !== 'verify') {
    print(USAGE)
    return 2
  }
  const started = performance.now()
  const result = await verifyAuditChain(ds)
  const ms = Math.round(performance.now() - started)
  if (result.ok) {
    print(`Audit chain intact: ${result.rows} rows checked in ${ms} ms.`)
    return 0
  }
  print(`Audit chain BROKEN (${result.rows} rows read in ${ms} ms):`)
  for (const problem of result.problems) print(`  ${problem}`)
  return 1
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2)
  if (argv.length === 0 || argv.includes('--help')) {
    console.log(USAGE)
    return 0
  }
  const ds = await openDatabase(loadConfig().database)
  try {
    return await runAuditCommand(ds, argv, (line) => console.log(line))
  } finally {
    await ds.destroy()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main()
    .then((code) => process.exit(code))
    .catch((err: unknown) => {
      console.error(err instanceof ConfigError ? err.message : err)
      process.exit(1)
    })
}
