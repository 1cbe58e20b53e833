import { DEPARTMENTS } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { isSqlite } from '../../db/tx'
import { Department } from '../territory/index'

/** The district's reference list of departments (@palm/shared), by code. */
export const REFERENCE_NAMES: ReadonlyMap<string, string> = new Map(DEPARTMENTS.map((d) => [d.code, d.name]))

/**
 * The department with this code and whether it takes tickets, or undefined when no such department
 * exists. The departments table decides (the district admin adds, renames and switches departments
 * off in the console); the district's reference list in @palm/shared stands in, as active, for rows
 * not seeded yet, so the default rules work on a database that has run its migrations only.
 */
export async function findDepartment(em: EntityManager, code: string, opts: { lock?: boolean } = {}): Promise<{ code: string; name: string; active: boolean } | undefined> {
  const row = opts.lock ? await lockDepartment(em, code) : await em.getRepository(Department).findOneBy({ code })
  if (row) return { code: row.code, name: row.name, active: Boolean(row.active) }
  const name = REFERENCE_NAMES.get(code)
  return name === undefined ? undefined : { code, name, active: true }
}

/**
 * The department row, held (SELECT … FOR UPDATE) until the caller's transaction ends, so that
 * switching a department off and a rule naming it are decided one after the other on MySQL/MariaDB,
 * whichever instance runs them (a locking read sees the other's commit). SQLite's write queue
 * already runs them one at a time.
 */
export async function lockDepartment(em: EntityManager, code: string): Promise<Department | null> {
  const qb = em.getRepository(Department).createQueryBuilder('d').where('d.code = :code', { code })
  if (!isSqlite(em.connection)) qb.setLock('pessimistic_write')
  return qb.getOne()
}

/** The name of a department queue, or undefined when no such department exists (see findDepartment). */
export async function findDepartmentName(em: EntityManager, code: string): Promise<string | undefined> {
  return (await findDepartment(em, code))?.name
}
