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
  departments: Map<string, { name: string; active: boolean }>
  communities: Map<string, { name: string; streetCode: string }>
  streets: Map<string, string>
}

const cache = new PerSourceCache<RoutingReference>(async (ds) => {
  const [rules, departments, communities, streets] = await Promise.all([
    ds.getRepository(RoutingRule).find(),
    ds.getRepository(Department).find({ select: { code: true, name: true, active: true } }),
    ds.getRepository(Community).find({ select: { code: true, name: true, streetCode: true } }),
    ds.getRepository(Street).find({ select: { code: true, name: true } })
  ])
  return {
    rules: new Map(rules.filter((r) => Boolean(r.active)).map((r) => [r.category, r])),
    departments: new Map(departments.map((d) => [d.code, { name: d.name, active: Boolean(d.active) }])),
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
  return (await findDepartmentState(ds, code))?.name
}

/**
 * The department's name and whether it takes tickets, from the copy in memory (the row; else the
 * reference list of @palm/shared, which counts as active), or undefined when there is no such department.
 */
export async function findDepartmentState(ds: DataSource, code: string): Promise<{ name: string; active: boolean } | undefined> {
  const row = await findDepartmentRow(ds, code)
  if (row) return row
  const name = REFERENCE_NAMES.get(code)
  return name === undefined ? undefined : { name, active: true }
}

async function findDepartmentRow(ds: DataSource, code: string): Promise<{ name: string; active: boolean } | undefined> {
  const cached = (await cache.get(ds)).departments.get(code)
  if (cached !== undefined) return cached
  const row = await ds.getRepository(Department).findOne({ select: { code: true, name: true, active: true }, where: { code } })
  return row ? { name: row.name, active: Boolean(row.active) } : undefined
}

/** The department's name as its row has it (no reference-list fallback), as ticket views show it. */
export async function findDepartmentRowName(ds: DataSource, code: string): Promise<string | undefined> {
  return (await findDepartmentRow(ds, code))?.name
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
