import { pathToFileURL } from 'node:url'
import { ConfigError, loadConfig, type Config } from '../config'
import { openDatabase } from '../db/data-source'
import type { AppDeps } from '../deps'
import { createLogger } from '../logger'
import { User } from '../modules/auth/user.entity'
import { seedDemoData } from '../modules/lifecycle'
import { Community, Grid, Street } from '../modules/territory/territory.entity'

/**
 * Why seeding must not run with this config, or undefined when it may. Demo data in a production
 * database would put invented communities, grids and staff accounts beside real ones, so production
 * needs the explicit SEED_DEMO=1 (for a staging or training installation).
 */
export function seedRefusal(config: Config): string | undefined {
  if (config.env === 'production' && !config.seedDemo) {
    return [
      'Refusing to seed demo data: NODE_ENV is production.',
      'Demo data adds synthetic communities, grids and staff accounts beside the real ones.',
      'For a staging or training installation, run it again with SEED_DEMO=1.'
    ].join('\n')
  }
  return undefined
}

function describeDatabase(config: Config): string {
  return config.database.kind === 'sqlite' ? `the SQLite file ${config.database.file}` : `${config.database.kind} (DATABASE_URL)`
}

/** `npm run seed`: config → database (migrated) → every demo seeder → a summary → exit. */
async function main(): Promise<number> {
  let config: Config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message)
      return 1
    }
    throw err
  }
  const refusal = seedRefusal(config)
  if (refusal) {
    console.error(refusal)
    return 2
  }
  const where = describeDatabase(config)
  let ds
  try {
    ds = await openDatabase(config.database)
  } catch (err) {
    console.error(`Cannot open the database (${where}): ${(err as Error).message}`)
    return 1
  }
  try {
    const deps: AppDeps = { config, ds, log: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel), now: () => new Date() }
    const started = Date.now()
    await seedDemoData(deps)
    const [streets, communities, grids, staff] = await Promise.all([
      ds.getRepository(Street).count(),
      ds.getRepository(Community).count(),
      ds.getRepository(Grid).count(),
      ds.getRepository(User).countBy({ synthetic: true })
    ])
    console.log(`Demo data is in ${where} (${Date.now() - started} ms).`)
    console.log(`It now holds ${streets} streets, ${communities} communities and villages, ${grids} grids, ${staff} synthetic accounts.`)
    return 0
  } finally {
    await ds.destroy()
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href
if (invokedDirectly) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err)
      process.exit(1)
    }
  )
}
