import mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_MARIADB_URL, openTestDatabase, type TestDatabase } from '../../../test/db'
import { runAuditCommand } from '../../cli/audit'
import { withTx } from '../../db/tx'
import { AuditEvent, AuditHead } from './audit.entity'
import { recordAudit, verifyAuditChain } from './audit.service'

/*
 * docs/audit.md: the chain, the triggers and `npm run audit -- verify`, on the file's own database.
 * Tampering is done as an attacker with database access would: drop the trigger, then change rows.
 */
let db: TestDatabase
beforeAll(async () => {
  db = await openTestDatabase()
})
afterAll(async () => {
  await db.close()
})

const actor = { id: 'u-admin', role: 'district_admin', scope: {} }
const append = (objectId: string) => withTx(db.ds, (em) => recordAudit(em, { action: 'category.update', objectType: 'category', objectId, detail: { fields: ['active'] }, actor }))
const rowCount = async () => db.ds.getRepository(AuditEvent).count()
const verifyLines = async () => {
  const out: string[] = []
  const code = await runAuditCommand(db.ds, ['verify'], (line) => out.push(line))
  return { code, text: out.join('\n') }
}

describe(`the audit chain (${process.env.TEST_DB === 'mariadb' ? 'MariaDB' : 'SQLite'})`, () => {
  it('appends rows 1, 2, 3 each chained to the one before, and verify passes (exit 0)', async () => {
    for (const id of ['a', 'b', 'c']) await append(id)
    const rows = await db.ds.getRepository(AuditEvent).find({ order: { seq: 'ASC' } })
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3])
    expect(rows[1]?.prevHash).toBe(rows[0]?.hash)
    expect(rows[2]?.prevHash).toBe(rows[1]?.hash)
    expect(await db.ds.getRepository(AuditHead).findOneBy({ id: 'audit' })).toMatchObject({ seq: 3, hash: rows[2]?.hash })
    expect(await verifyLines()).toEqual({ code: 0, text: expect.stringMatching(/intact: 3 rows/) as unknown as string })
  })

  it('leaves no row when the transaction it belongs to fails', async () => {
    const before = await rowCount()
    await expect(
      withTx(db.ds, async (em) => {
        await recordAudit(em, { action: 'category.create', objectType: 'category', objectId: 'noise', actor })
        throw new Error('the change failed')
      })
    ).rejects.toThrow('the change failed')
    expect(await rowCount()).toBe(before)
    expect((await verifyAuditChain(db.ds)).ok).toBe(true)
  })

  it('refuses UPDATE and DELETE of audit rows through the app connection', async () => {
    await expect(db.ds.query("UPDATE audit_events SET action = 'x' WHERE seq = 1")).rejects.toThrow(/append-only/)
    await expect(db.ds.query('DELETE FROM audit_events WHERE seq = 1')).rejects.toThrow(/append-only/)
    expect(await rowCount()).toBe(3)
  })

  it.runIf(process.env.TEST_DB === 'mariadb')('an app user granted only SELECT, INSERT on audit_events gets ERROR 1142 on UPDATE and DELETE (README)', async () => {
    const dbName = new URL(db.url ?? '').pathname.slice(1)
    const user = `palm_app_${Math.random().toString(36).slice(2, 8)}`
    const admin = await mysql.createConnection(TEST_MARIADB_URL)
    try {
      await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY 'app-Pass-42'`)
      await admin.query(`GRANT SELECT, INSERT ON \`${dbName}\`.audit_events TO '${user}'@'%'`)
      const app = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user, password: 'app-Pass-42', database: dbName })
      try {
        await expect(app.query("UPDATE audit_events SET action = 'x' WHERE seq = 1")).rejects.toMatchObject({ errno: 1142 })
        await expect(app.query('DELETE FROM audit_events WHERE seq = 1')).rejects.toMatchObject({ errno: 1142 })
        await expect(app.query('DROP TRIGGER audit_events_no_update')).rejects.toBeTruthy()
        const [rows] = await app.query('SELECT COUNT(*) AS n FROM audit_events')
        expect(Number((rows as Array<{ n: number }>)[0]?.n)).toBe(3)
      } finally {
        await app.end()
      }
    } finally {
      await admin.query(`DROP USER IF EXISTS '${user}'@'%'`)
      await admin.end()
    }
  })

  it('forms one chain from concurrent writers', async () => {
    const before = await rowCount()
    await Promise.all(Array.from({ length: 20 }, (_, i) => append(`p${i}`)))
    const rows = await db.ds.getRepository(AuditEvent).find({ order: { seq: 'ASC' } })
    expect(rows.length).toBe(before + 20)
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1))
    expect(await verifyAuditChain(db.ds)).toMatchObject({ ok: true, rows: before + 20 })
  })

  it('never stores secret-looking keys of a detail', async () => {
    await withTx(db.ds, (em) =>
      recordAudit(em, { action: 'account.reset_password', objectType: 'user', objectId: 'u1', detail: { password: 'Secret-123', totpCode: '123456', refreshToken: 't', kept: 1 }, actor })
    )
    const last = await db.ds.getRepository(AuditEvent).findOne({ where: {}, order: { seq: 'DESC' } })
    expect(last?.detail).toBe('{"kept":1}')
  })

  it('verify fails (exit 1) naming the row whose content was changed behind the app’s back', async () => {
    await db.ds.query('DROP TRIGGER audit_events_no_update')
    await db.ds.query("UPDATE audit_events SET object_id = 'forged' WHERE seq = 2")
    const result = await verifyLines()
    expect(result.code).toBe(1)
    expect(result.text).toMatch(/row 2: its content was changed/)
    expect(result.text).not.toMatch(/row 3: its content/)
  })

  it('verify names a deleted row (a gap) and deleted newest rows (the head is beyond the last row)', async () => {
    await db.ds.query('DROP TRIGGER audit_events_no_delete')
    await db.ds.query('DELETE FROM audit_events WHERE seq = 5')
    const max = Number(((await db.ds.query('SELECT MAX(seq) AS m FROM audit_events')) as Array<{ m: number | string }>)[0]?.m)
    await db.ds.query('DELETE FROM audit_events WHERE seq = ?', [max])
    const result = await verifyLines()
    expect(result.code).toBe(1)
    expect(result.text).toMatch(/rows 5…5 are missing/)
    expect(result.text).toMatch(new RegExp(`rows ${max}…${max} are missing \\(the head is at ${max}`))
  })
})
