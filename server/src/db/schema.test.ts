import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../../test/db'
import { migrations } from './migrations/index'

let db: TestDatabase
beforeAll(async () => {
  db = await openTestDatabase()
})
afterAll(async () => {
  await db.close()
})

describe(`migrations (${process.env.TEST_DB === 'mariadb' ? 'MariaDB' : 'SQLite'})`, () => {
  it('give exactly the schema the entities describe: nothing left for TypeORM to change', async () => {
    const pending = await db.ds.driver.createSchemaBuilder().log()
    expect(pending.upQueries.map((q) => q.query)).toEqual([])
  })

  it('undo and apply again cleanly', async () => {
    for (let i = 0; i < migrations.length; i++) await db.ds.undoLastMigration({ transaction: 'each' })
    expect(await db.ds.showMigrations()).toBe(true)
    await db.ds.runMigrations({ transaction: 'each' })
    expect(await db.ds.showMigrations()).toBe(false)
    const pending = await db.ds.driver.createSchemaBuilder().log()
    expect(pending.upQueries).toEqual([])
  })
})
