import type { DataSource } from 'typeorm'
import { PerSourceCache } from '../sla/index'
import { Community, Department, Street } from '../territory/index'
import { REFERENCE_NAMES } from './departments'
import { RoutingRule } from './routing-rule.entity'

/**
 * What routing reads on every submission besides the grid index and the worker load: the category
 * rules and the names of departments, communities and streets. Small tables that change by an
 * admin's edit or by seeding, kept in memory per database for REFERENCE_TTL_MS (30 s). A rule edited
 * through /api/routing/rules on this instance applies at once; other instances follow within 30 s
 * (routing/README.md "Caching"). Codes missing from the copy are read from the database, so rows
 * added since (a new community, department) are found at once.
 */
interface RoutingReference {
  /** Active rules by category. */
  rules: Map<string, RoutingRule>
  departments: Map<string, string>
  communities: Map<string, { name: string; streetCode: string }>
  streets: Map<string, string>
}

const cache = new PerSourceCache<RoutingReference>(async (ds) => {
  const [rules, departments, communities, streets] = await Promise.all([
    ds.getRepository(RoutingRule).find(),
    ds.getRepository(Department).find({ select: { code: true, name: true } }),
    ds.getRepository(Community).find({ select: { code: true, name: true, streetCode: true } }),
    ds.getRepository(Street).find({ select: { code: true, name: true } })
  ])
  return {
    rules: new Map(rules.filter((r) => Boolean(r.active)).map((r) => [r.category, r])),
    departments: new Map(departments.map((d) => [d.code, d.name])),
    communities: new Map(communities.map((c) => [c.code, { name: c.name, streetCode: c.streetCode }])),
    streets: new Map(streets.map((s) => [s.code, s.name]))
  }
})

/** Drops the in-memory copy (after a rule edit, and in tests that write these tables directly). */
export function invalidateRoutingReference(ds: DataSource): void {
  cache.invalidate(ds)
}

/** The category's active rule, if any. */
export async function findActiveRule(ds: DataSource, category: string): Promise<RoutingRule | undefined> {
  return (await cache.get(ds)).rules.get(category)
}

/** As departments.ts findDepartmentName (the row's name, else the reference list), from the copy in memory. */
export async function findDepartmentName(ds: DataSource, code: string): Promise<string | undefined> {
  return (await findDepartmentRowName(ds, code)) ?? REFERENCE_NAMES.get(code)
}

/** The department's name as its row has it (no reference-list fallback), as ticket views show it. */
export async function findDepartmentRowName(ds: DataSource, code: string): Promise<string | undefined> {
  const cached = (await cache.get(ds)).departments.get(code)
  if (cached !== undefined) return cached
  return (await ds.getRepository(Department).findOne({ select: { code: true, name: true }, where: { code } }))?.name
}

export async function findCommunity(ds: DataSource, code: string): Promise<{ code: string; name: string; streetCode: string } | undefined> {
  const cached = (await cache.get(ds)).communities.get(code)
  if (cached) return { code, ...cached }
  const row = await ds.getRepository(Community).findOne({ select: { code: true, name: true, streetCode: true }, where: { code } })
  return row ? { code: row.code, name: row.name, streetCode: row.streetCode } : undefined
}

export async function findStreetName(ds: DataSource, code: string): Promise<string | undefined> {
  const cached = (await cache.get(ds)).streets.get(code)
  if (cached !== undefined) return cached
  return (await ds.getRepository(Street).findOne({ select: { code: true, name: true }, where: { code } }))?.name
}
