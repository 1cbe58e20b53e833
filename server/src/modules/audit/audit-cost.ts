/**
 * What an audited write costs (docs/audit.md "Cost"): the same one-row UPDATE in a transaction,
 * without and with recordAudit, sequentially and with 8 writers at once, on a scratch database.
 * `npx tsx src/modules/audit/audit-cost.ts [sqlite|mariadb]` from server/.
 */
import { openTestDatabase } from '../../../test/db'
import { withTx } from '../../db/tx'
import { recordAudit, verifyAuditChain } from './audit.service'

const N = 400
const actor = { id: 'bench-admin', role: 'district_admin', scope: {} }

async function main(): Promise<void> {
  const kind = process.argv[2] === 'mariadb' ? 'mariadb' : 'sqlite'
  const db = await openTestDatabase(kind)
  const ds = db.ds
  const plain = () => withTx(ds, async (em) => void (await em.query('UPDATE territory_versions SET version = version + 1 WHERE id = ?', ['territory'])))
  const audited = () =>
    withTx(ds, async (em) => {
      await em.query('UPDATE territory_versions SET version = version + 1 WHERE id = ?', ['territory'])
      await recordAudit(em, { action: 'category.update', objectType: 'category', objectId: 'sanitation', detail: { fields: ['active'] }, actor })
    })
  async function time(label: string, job: () => Promise<void>, concurrency: number): Promise<number> {
    for (let i = 0; i < 20; i++) await job()
    const started = performance.now()
    let next = 0
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < N) await job()
      })
    )
    const ms = performance.now() - started
    console.log(`${kind} ${label} ×${concurrency}: ${(ms / N).toFixed(3)} ms per write, ${Math.round((N / ms) * 1000)} writes/s`)
    return ms / N
  }
  const p1 = await time('plain  ', plain, 1)
  const a1 = await time('audited', audited, 1)
  const p8 = await time('plain  ', plain, 8)
  const a8 = await time('audited', audited, 8)
  console.log(`${kind} added by the audit row: ${(a1 - p1).toFixed(3)} ms sequential, ${(a8 - p8).toFixed(3)} ms per write with 8 writers`)
  const started = performance.now()
  const result = await verifyAuditChain(ds)
  console.log(`${kind} verify: ${result.rows} rows in ${Math.round(performance.now() - started)} ms, ok=${String(result.ok)}`)
  await db.close()
}

await main()
