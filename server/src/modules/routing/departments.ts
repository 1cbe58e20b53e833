import { DEPARTMENTS } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { Department } from '../territory/index'

/** The district's reference list of departments (@palm/shared), by code. */
export const REFERENCE_NAMES: ReadonlyMap<string, string> = new Map(DEPARTMENTS.map((d) => [d.code, d.name]))

/**
 * The name of a department queue, or undefined when no such department exists. The departments table
 * decides (an admin may add or rename departments); the district's reference list in @palm/shared
 * stands in for rows not seeded yet, so the default rules work on a production database that has run
 * its migrations but no demo seeding.
 */
export async function findDepartmentName(em: EntityManager, code: string): Promise<string | undefined> {
  const row = await em.getRepository(Department).findOneBy({ code })
  return row?.name ?? REFERENCE_NAMES.get(code)
}
