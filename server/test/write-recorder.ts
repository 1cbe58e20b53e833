import type { DataSource, EntitySubscriberInterface, EntityTarget, ObjectLiteral } from 'typeorm'

/**
 * Counts the inserts and updates TypeORM issues for one entity (insert(), save(), and query-builder
 * INSERT/UPDATE all announce themselves to subscribers), so a test can show that a request did not
 * write, or did not run a locking UPDATE, at all. `stop()` unregisters it.
 */
export function recordWrites(ds: DataSource, entity: EntityTarget<ObjectLiteral>): { inserts: number; updates: number; stop: () => void } {
  const counts = { inserts: 0, updates: 0 }
  const subscriber: EntitySubscriberInterface = {
    listenTo: () => entity as never,
    beforeInsert: () => void counts.inserts++,
    beforeUpdate: () => void counts.updates++
  }
  const list = ds.subscribers as EntitySubscriberInterface[]
  list.push(subscriber)
  return Object.assign(counts, {
    stop: () => {
      const i = list.indexOf(subscriber)
      if (i >= 0) list.splice(i, 1)
    }
  })
}
