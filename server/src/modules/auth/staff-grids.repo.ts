import type { DataSource, EntityManager } from 'typeorm'
import { StaffGrid } from './staff-grid.entity'

/** A grid worker's grids, the primary first (then by code); empty for accounts without any. */
export async function gridCodesOfUser(db: DataSource | EntityManager, userId: string): Promise<string[]> {
  const rows = await db.getRepository(StaffGrid).find({ where: { userId } })
  return rows.sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary) || a.gridCode.localeCompare(b.gridCode)).map((r) => r.gridCode)
}

/** Every listed user's grids, primary first: one query for a page of accounts. */
export async function gridCodesOfUsers(db: DataSource | EntityManager, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>()
  if (!userIds.length) return out
  const rows = await db
    .getRepository(StaffGrid)
    .createQueryBuilder('sg')
    .where('sg.user_id IN (:...ids)', { ids: [...userIds] })
    .getMany()
  rows.sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary) || a.gridCode.localeCompare(b.gridCode))
  for (const r of rows) out.set(r.userId, [...(out.get(r.userId) ?? []), r.gridCode])
  return out
}

/**
 * Replaces a grid worker's grids inside the caller's write: the first code becomes the primary
 * grid (which the caller also writes to users.grid_code).
 */
export async function replaceStaffGrids(em: EntityManager, userId: string, gridCodes: readonly string[]): Promise<void> {
  await em.getRepository(StaffGrid).delete({ userId })
  if (!gridCodes.length) return
  await em.getRepository(StaffGrid).insert(gridCodes.map((gridCode, i) => ({ userId, gridCode, isPrimary: i === 0 })))
}
