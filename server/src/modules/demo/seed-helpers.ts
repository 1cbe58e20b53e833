import { createHash } from 'node:crypto'
import type { EntityManager, ObjectLiteral, EntityTarget } from 'typeorm'
import { In } from 'typeorm'
import { Community, Grid } from '../territory/territory.entity'

/** A UUID-shaped id derived from a name, so a demo row has the same id on every run (re-seeding inserts nothing). */
export function stableId(name: string): string {
  const h = createHash('sha256').update(`palm-demo-services:${name}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`
}

/** Inserts rows whose ids are not there yet (INSERT … IGNORE in chunks); returns how many were new. */
export async function insertMissingRows<T extends ObjectLiteral & { id: string }>(em: EntityManager, entity: EntityTarget<T>, rows: T[]): Promise<number> {
  if (rows.length === 0) return 0
  const existing = new Set((await em.getRepository(entity).find({ where: { id: In(rows.map((r) => r.id)) } as never, select: { id: true } as never })).map((r) => (r as { id: string }).id))
  const missing = rows.filter((r) => !existing.has(r.id))
  for (let i = 0; i < missing.length; i += 100) {
    await em
      .createQueryBuilder()
      .insert()
      .into(entity)
      .values(missing.slice(i, i + 100))
      .orIgnore()
      .updateEntity(false)
      .execute()
  }
  return missing.length
}

export interface SeedCommunity {
  code: string
  name: string
  streetCode: string
  /** The centre of its first grid: a plausible point inside it. */
  centre: { lat: number; lng: number }
}

/** Communities of the demo territory with a point inside each (first `perStreet` per street). */
export async function seedCommunities(em: EntityManager, perStreet = 1): Promise<SeedCommunity[]> {
  const communities = await em.find(Community, { where: { kind: 'community' }, order: { code: 'ASC' } })
  const byStreet = new Map<string, Community[]>()
  for (const c of communities) {
    const list = byStreet.get(c.streetCode) ?? []
    if (list.length < perStreet) byStreet.set(c.streetCode, [...list, c])
  }
  const chosen = [...byStreet.values()].flat()
  if (chosen.length === 0) return []
  const grids = await em.find(Grid, { where: { communityCode: In(chosen.map((c) => c.code)) }, order: { code: 'ASC' } })
  return chosen.flatMap((c) => {
    const g = grids.find((x) => x.communityCode === c.code)
    return g ? [{ code: c.code, name: c.name, streetCode: c.streetCode, centre: { lat: (g.minLat + g.maxLat) / 2, lng: (g.minLng + g.maxLng) / 2 } }] : []
  })
}
