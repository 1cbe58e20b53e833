import type { DataSource, EntityManager } from 'typeorm'
import { isSqlite } from '../../db/tx'
import { TerritoryVersion } from './territory.entity'

const ROW_ID = 'territory'

/** The current territory version: one primary-key read, cheap enough to poll every few seconds. */
export async function readTerritoryVersion(em: DataSource | EntityManager): Promise<number> {
  const rows = (await em.query('SELECT version FROM territory_versions WHERE id = ?', [ROW_ID])) as Array<{ version: number | string }>
  return Number(rows[0]?.version ?? 0)
}

/**
 * Holds the version row for the rest of the transaction, so two imports on MySQL/MariaDB run one
 * after the other (each diffs against what the other wrote). SQLite's write queue already serialises.
 */
export async function lockTerritoryVersion(em: EntityManager): Promise<void> {
  if (isSqlite(em.connection)) return
  await em.getRepository(TerritoryVersion).createQueryBuilder('v').setLock('pessimistic_write').where('v.id = :id', { id: ROW_ID }).getOne()
}

/** Bumps the version inside the import's transaction and answers the new one. */
export async function bumpTerritoryVersion(em: EntityManager, now: Date): Promise<number> {
  await em
    .createQueryBuilder()
    .update(TerritoryVersion)
    .set({ version: () => 'version + 1', updatedAt: now })
    .where('id = :id', { id: ROW_ID })
    .execute()
  return readTerritoryVersion(em)
}
