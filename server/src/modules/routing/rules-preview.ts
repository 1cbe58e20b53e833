import { ConsoleLimits, type LatLng, type PreviewRoutingRuleInput, type RoutingLevel, type RoutingPreviewView, type RoutingTargetView, type TicketKind } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { AppError } from '../../errors'
import { findCommunity, findDepartmentName, findStreetName } from './reference-data'
import { decideRoute, type RuleSpec } from './routing.service'
import { resolveProposal } from './rules.service'

/** What a replay needs of a stored ticket: its place and the decision made at submission. */
interface HistoryRow {
  id: string
  number: string
  kind: string
  lat: number | string | null
  lng: number | string | null
  level: string
  gridCode: string | null
  communityCode: string | null
  streetCode: string | null
  departmentCode: string | null
  routingInputs: string | null
  /** The `assign` event written at submission (seq 2): the decision as it was then, before any transfer or escalation. */
  assignData: string | null
}

/**
 * The category's newest tickets with their first routing decision, one statement (raw SQL: the tickets
 * module depends on routing, not the other way round). `limit` is a validated integer.
 */
function historySql(limit: number): string {
  return (
    'SELECT t.id AS id, t.number AS number, t.kind AS kind, t.lat AS lat, t.lng AS lng, t.level AS level, ' +
    't.grid_code AS gridCode, t.community_code AS communityCode, t.street_code AS streetCode, ' +
    't.department_code AS departmentCode, t.routing_inputs AS routingInputs, e.data AS assignData ' +
    "FROM tickets t LEFT JOIN ticket_events e ON e.ticket_id = t.id AND e.seq = 2 AND e.event = 'assign' " +
    `WHERE t.category = ? ORDER BY t.created_at DESC, t.id DESC LIMIT ${Math.trunc(limit)}`
  )
}

interface Decided {
  level: string
  gridCode: string | null
  communityCode: string | null
  streetCode: string | null
  departmentCode: string | null
}

interface StoredCase {
  before: Decided
  location?: LatLng
  communityCode?: string
  streetCode?: string
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {}
}

function parseJson(text: string | null): Record<string, unknown> {
  if (!text) return {}
  try {
    return asRecord(JSON.parse(text))
  } catch {
    return {}
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null)

/** The stored decision (the submission's `assign` event, else the ticket's columns) and what it was based on. */
function storedCase(row: HistoryRow): StoredCase {
  const assign = parseJson(row.assignData)
  const inputs = row.assignData ? asRecord(assign.inputs) : parseJson(row.routingInputs)
  const before: Decided = row.assignData
    ? {
        level: str(assign.level) ?? row.level,
        gridCode: str(assign.gridCode),
        communityCode: str(assign.communityCode),
        streetCode: str(assign.streetCode),
        departmentCode: str(assign.departmentCode)
      }
    : { level: row.level, gridCode: row.gridCode, communityCode: row.communityCode, streetCode: row.streetCode, departmentCode: row.departmentCode }
  if (row.lat !== null && row.lng !== null) return { before, location: { lat: Number(row.lat), lng: Number(row.lng) } }
  const communityCode = str(inputs.communityCode)
  if (communityCode) return { before, communityCode }
  const streetCode = str(inputs.streetCode)
  return streetCode ? { before, streetCode } : { before }
}

/** Turns a decision into the target the console compares: the department queue, or the territory unit plus a `beside` department. */
async function targetOf(deps: AppDeps, d: Decided): Promise<RoutingTargetView> {
  const department = d.departmentCode ? { code: d.departmentCode, name: (await findDepartmentName(deps.ds, d.departmentCode)) ?? d.departmentCode } : null
  if (d.level === 'department' && department) return { level: 'department', code: department.code, name: department.name, besideDepartment: null, label: department.name }
  let level: RoutingLevel = 'district'
  let code: string | null = null
  let name = '区综治中心'
  if (d.gridCode) {
    level = 'grid'
    code = d.gridCode
    name = `网格 ${d.gridCode}`
  } else if (d.communityCode) {
    level = 'community'
    code = d.communityCode
    name = (await findCommunity(deps.ds, d.communityCode))?.name ?? d.communityCode
  } else if (d.streetCode) {
    level = 'street'
    code = d.streetCode
    name = `${(await findStreetName(deps.ds, d.streetCode)) ?? d.streetCode}综治中心`
  }
  return { level, code, name, besideDepartment: department, label: department ? `${name} + ${department.name}` : name }
}

const keyOf = (t: RoutingTargetView) => `${t.level}:${t.code ?? ''}+${t.besideDepartment?.code ?? ''}`
const NOWHERE: RoutingTargetView = { level: 'none', code: null, name: '无法分拨', besideDepartment: null, label: '无法分拨' }

/** The replayed decision for one stored ticket under `rule`; a ticket the proposal cannot route is `none`. */
async function replay(em: EntityManager, deps: AppDeps, category: string, row: HistoryRow, c: StoredCase, rule: RuleSpec | null): Promise<RoutingTargetView> {
  try {
    const req = {
      category,
      kind: row.kind as TicketKind,
      ...(c.location ? { location: c.location } : {}),
      ...(c.communityCode ? { communityCode: c.communityCode } : {}),
      ...(c.streetCode ? { streetCode: c.streetCode } : {})
    }
    return await targetOf(deps, await decideRoute(em, deps, req, { rule }))
  } catch (err) {
    if (err instanceof AppError && err.status < 500) return NOWHERE
    throw err
  }
}

/**
 * The replay before saving (docs/console.md): re-runs routing with the proposed rule on the category's
 * `limit` newest tickets (their stored point, else the community or street they named) and compares
 * each with the decision stored at submission, at the level of the queue (department, or grid /
 * community / street / district plus a `beside` department; the worker is left out, as today's duty
 * roster says nothing about then). Saves nothing; checks the proposal as saving it would.
 * @throws as resolveProposal.
 */
export async function previewRuleChange(em: EntityManager, deps: AppDeps, input: PreviewRoutingRuleInput): Promise<RoutingPreviewView> {
  const proposal = await resolveProposal(em, input)
  const rows = (await em.query(historySql(input.limit), [proposal.category.code])) as HistoryRow[]
  const counts = new Map<string, { target: RoutingTargetView; count: number }>()
  const samples: RoutingPreviewView['samples'] = []
  let changed = 0
  for (const row of rows) {
    const stored = storedCase(row)
    const before = await targetOf(deps, stored.before)
    const after = await replay(em, deps, proposal.category.code, row, stored, proposal.rule)
    if (keyOf(before) === keyOf(after)) continue
    changed += 1
    const entry = counts.get(keyOf(after)) ?? { target: after, count: 0 }
    entry.count += 1
    counts.set(keyOf(after), entry)
    if (samples.length < ConsoleLimits.previewSamples) samples.push({ ticketId: row.id, number: row.number, before, after })
  }
  const byTarget = [...counts.values()].sort((a, b) => b.count - a.count || a.target.label.localeCompare(b.target.label))
  return { category: { code: proposal.category.code, name: proposal.category.name }, total: rows.length, changed, byTarget, samples }
}
