import { isInsideDistrictBounds, ROUTING_RULE_MODES, type LatLng, type RoutingLevel, type RoutingRuleMode, type TicketKind } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { AppError, BadRequestError, ValidationError } from '../../errors'
import { findCategory, type CategoryDefinition } from '../sla/index'
import { getGridIndex } from '../territory/index'
import { pickOnDutyWorker } from './assignee'
import { findActiveRule, findCommunity, findDepartmentRowName, findDepartmentState, findStreetName } from './reference-data'

/** Where a ticket goes, why, and what the decision was based on (stored with the ticket, replayable). */
export interface RoutingDecision {
  level: RoutingLevel
  gridCode: string | null
  communityCode: string | null
  streetCode: string | null
  departmentCode: string | null
  assigneeId: string | null
  reason: string
  inputs: Record<string, unknown>
}

/**
 * What decideRoute learned on the way, handed to the caller so that filing the ticket and answering
 * with its view need not read any of it again. Not stored.
 */
export interface RoutingFacts {
  category: CategoryDefinition
  /** Names as the ticket views show them: the rows' names (a department only by its row). */
  gridName: string | null
  communityName: string | null
  streetName: string | null
  departmentName: string | null
  /** The grid worker it was given to. */
  assignee: { id: string; displayName: string } | null
}

export type RoutedDecision = RoutingDecision & { facts: RoutingFacts }

export interface RouteRequest {
  category: string
  kind: TicketKind
  location?: LatLng
  communityCode?: string
  /** Only when neither a point nor a community is known: that street's centre takes it. */
  streetCode?: string
}

/** A category rule as routing applies it: the table's active one, or one the console proposes. */
export interface RuleSpec {
  id: string
  departmentCode: string
  mode: string
}

/**
 * The console's replay (rules-preview.ts): route with `rule` (null: no rule) instead of the table's,
 * accept a category switched off since, and pick no worker (today's duty roster says nothing about
 * where an old ticket would go; the grid is the answer).
 */
export interface ReplayOptions {
  rule: RuleSpec | null
}

export interface LevelUpRequest {
  category: string
  level: RoutingLevel
  gridCode: string | null
  communityCode: string | null
  streetCode: string | null
  /** Why it moves up: "超时未签收", "退单：不属于本网格" … */
  reason: string
}

/**
 * A ticket that would go nowhere. Never a silent drop (FixMyStreet's "Report not going anywhere"):
 * the caller's transaction rolls back, the client sees 500 routing_failed, and the inputs are logged.
 */
export class RoutingFailedError extends AppError {
  constructor(message: string) {
    super(500, 'routing_failed', message)
  }
}

interface ActiveRule {
  id: string
  departmentCode: string
  departmentName: string
  mode: RoutingRuleMode
}

interface Territory {
  gridCode: string | null
  gridName: string | null
  communityCode: string | null
  communityName: string | null
  streetCode: string | null
  streetName: string | null
}

const NO_TERRITORY: Territory = { gridCode: null, gridName: null, communityCode: null, communityName: null, streetCode: null, streetName: null }

function fail(deps: AppDeps, message: string, inputs: Record<string, unknown>): never {
  deps.log.error({ inputs, code: 'routing_failed' }, `routing failed: ${message}`)
  throw new RoutingFailedError(`This request cannot be routed: ${message}. It has been logged; please try again later.`)
}

/**
 * "张三" → "张*": how a resident's name is shown to others. Grid workers are named in full in routing
 * reasons, as on the grid's public notice board (网格公示牌).
 */
export function maskName(name: string): string {
  const chars = Array.from(name.trim())
  return chars.length === 0 ? '*' : `${chars[0]}*`
}

async function requireCategory(deps: AppDeps, code: string, kind: TicketKind, replay: boolean): Promise<CategoryDefinition> {
  const category = await findCategory(deps.ds, code)
  if (!category || (!category.active && !replay) || category.kind !== kind) {
    throw new BadRequestError('unknown_category', `“${code}” is not a category of ${kind} requests.`, [
      { path: 'category', code: 'unknown_category', message: 'Choose one of GET /api/tickets/categories.' }
    ])
  }
  return category
}

/**
 * The category's active rule (or the replayed one), checked: a rule that names no existing, active
 * queue is a routing failure (the console refuses such rules; this catches edits made in the database).
 */
async function activeRule(deps: AppDeps, category: string, inputs: Record<string, unknown>, replay?: ReplayOptions): Promise<ActiveRule | undefined> {
  const rule = replay ? replay.rule : await findActiveRule(deps.ds, category)
  if (!rule) return undefined
  if (!(ROUTING_RULE_MODES as readonly string[]).includes(rule.mode)) fail(deps, `rule ${rule.id} has the unknown mode “${rule.mode}”`, inputs)
  const department = await findDepartmentState(deps.ds, rule.departmentCode)
  if (department === undefined) fail(deps, `rule ${rule.id} names the department “${rule.departmentCode}”, which does not exist`, inputs)
  if (!department.active) fail(deps, `rule ${rule.id} names the department “${rule.departmentCode}”, which is switched off`, inputs)
  return { id: rule.id, departmentCode: rule.departmentCode, departmentName: department.name, mode: rule.mode as RoutingRuleMode }
}

/** The territory the request names: a point (→ its grid), a community, a street, or nothing. */
async function resolveTerritory(deps: AppDeps, req: RouteRequest): Promise<Territory> {
  if (req.location) {
    const grid = isInsideDistrictBounds(req.location) ? (await getGridIndex(deps.ds)).locate(req.location) : undefined
    if (!grid) {
      throw new BadRequestError('out_of_district', 'This place is outside Pingcheng District.', [
        { path: 'location', code: 'out_of_district', message: 'Pick a place inside the district, or choose a community.' }
      ])
    }
    // A grid-level reason names the community (its code when the row is missing); the view names the street too.
    const [community, streetName] = await Promise.all([findCommunity(deps.ds, grid.communityCode), findStreetName(deps.ds, grid.streetCode)])
    return {
      gridCode: grid.code,
      gridName: grid.name,
      communityCode: grid.communityCode,
      communityName: community?.name ?? grid.communityCode,
      streetCode: grid.streetCode,
      streetName: streetName ?? null
    }
  }
  if (req.communityCode) {
    const community = await findCommunity(deps.ds, req.communityCode)
    if (!community) throw new ValidationError([{ path: 'communityCode', code: 'unknown_community', message: 'There is no such community.' }])
    const streetName = await findStreetName(deps.ds, community.streetCode)
    return { ...NO_TERRITORY, communityCode: community.code, communityName: community.name, streetCode: community.streetCode, streetName: streetName ?? null }
  }
  if (req.streetCode) {
    const streetName = await findStreetName(deps.ds, req.streetCode)
    if (streetName === undefined) throw new ValidationError([{ path: 'streetCode', code: 'unknown_street', message: 'There is no such street.' }])
    return { ...NO_TERRITORY, streetCode: req.streetCode, streetName }
  }
  return NO_TERRITORY
}

function describeTerritory(t: Territory): string {
  if (t.gridCode) return `按位置落入网格 ${t.gridCode}（${t.communityName}）`
  if (t.communityCode) return `未提供位置，按所选社区（${t.communityName}）`
  if (t.streetCode) return `未提供位置或社区，按所选街道（${t.streetName}）`
  return '未提供位置或社区'
}

/**
 * Decides where a new ticket goes; persists nothing (tickets/ stores the decision). The layers, in
 * order (docs/domain.md "Routing"): the category's rule (a department queue instead of the territory, or
 * beside it); the point → its grid (spatial index + exact point-in-polygon); the grid's on-duty worker
 * with the fewest open tickets (tie → lowest id); none on duty → the community queue; no point → the
 * chosen community's queue, else the street centre, else the district centre.
 * @throws BadRequestError unknown_category (no such active category of this kind), out_of_district
 *   (a point in no grid); ValidationError for an unknown community or street; RoutingFailedError when
 *   a rule names a queue that does not exist.
 */
export async function decideRoute(em: EntityManager, deps: AppDeps, req: RouteRequest, replay?: ReplayOptions): Promise<RoutedDecision> {
  const category = await requireCategory(deps, req.category, req.kind, replay !== undefined)
  const baseInputs: Record<string, unknown> = {
    category: req.category,
    kind: req.kind,
    location: req.location ?? null,
    communityCode: req.communityCode ?? null,
    streetCode: req.streetCode ?? null
  }
  const rule = await activeRule(deps, category.code, baseInputs, replay)
  const territory = await resolveTerritory(deps, req)
  const facts = async (assignee: RoutingFacts['assignee']): Promise<RoutingFacts> => ({
    category,
    gridName: territory.gridName,
    communityName: territory.communityName,
    streetName: territory.streetName,
    departmentName: rule ? ((await findDepartmentRowName(deps.ds, rule.departmentCode)) ?? null) : null,
    assignee
  })
  const inputs: Record<string, unknown> = {
    ...baseInputs,
    rule: rule ? { id: rule.id, departmentCode: rule.departmentCode, mode: rule.mode } : null,
    gridCode: territory.gridCode
  }
  if (rule?.mode === 'instead') {
    const where = territory.gridCode || territory.communityCode || territory.streetCode ? `；${describeTerritory(territory)}` : ''
    return {
      ...codesOf(territory),
      level: 'department',
      departmentCode: rule.departmentCode,
      assigneeId: null,
      reason: `类别「${category.name}」按规则转${rule.departmentName}队列（不经网格）${where}`,
      inputs,
      facts: await facts(null)
    }
  }
  const beside = rule ? `；按类别「${category.name}」规则同时转${rule.departmentName}` : ''
  const { assignee, ...decision } = await territoryDecision(em, territory, inputs, beside, replay !== undefined, deps.now())
  return { ...decision, departmentCode: rule?.departmentCode ?? null, facts: await facts(assignee) }
}

function codesOf(t: Territory): Pick<RoutingDecision, 'gridCode' | 'communityCode' | 'streetCode'> {
  return { gridCode: t.gridCode, communityCode: t.communityCode, streetCode: t.streetCode }
}

/** The territory path: the grid's on-duty worker, else the community, street or district queue. */
async function territoryDecision(
  em: EntityManager,
  territory: Territory,
  inputs: Record<string, unknown>,
  beside: string,
  replay: boolean,
  at: Date
): Promise<Omit<RoutingDecision, 'departmentCode'> & { assignee: RoutingFacts['assignee'] }> {
  const queue = (level: RoutingLevel, reason: string) => ({ ...codesOf(territory), level, assigneeId: null, reason: `${reason}${beside}`, inputs, assignee: null })
  const where = describeTerritory(territory)
  if (territory.gridCode && replay) return { ...queue('grid', `${where}（回放，不选网格员）`) }
  if (territory.gridCode) {
    const pick = await pickOnDutyWorker(em, territory.gridCode, at)
    inputs.onDuty = pick.candidates
    if (!pick.chosen) return queue('community', `${where}；该网格无在岗网格员，转${territory.communityName}队列`)
    const others = pick.candidates.length > 1 ? `（${pick.candidates.length} 人在岗，取在办最少者）` : ''
    return {
      ...codesOf(territory),
      level: 'grid',
      assigneeId: pick.chosen.id,
      reason: `${where}；在岗网格员 ${pick.chosen.displayName}，当前 ${pick.chosen.open} 件在办${others}${beside}`,
      inputs,
      assignee: { id: pick.chosen.id, displayName: pick.chosen.displayName }
    }
  }
  if (territory.communityCode) return queue('community', `${where}转社区队列`)
  if (territory.streetCode) return queue('street', `${where}转${territory.streetName}综治中心`)
  return queue('district', `${where}，转区综治中心`)
}

const LEVEL_NAMES: Record<RoutingLevel, string> = { grid: '网格', community: '社区', street: '街道', district: '区综治中心', department: '部门' }

/**
 * One level up the supervision ladder, for escalation (上报), returns (退单) and the overdue job:
 * grid → community → street → district; the district stays the district, a department queue hands
 * back to the district centre. Levels whose code is unknown are skipped (a ticket with only a street
 * goes from the street straight to the district). A category's `beside` department keeps its copy.
 */
export async function routeOneLevelUp(em: EntityManager, deps: AppDeps, req: LevelUpRequest): Promise<RoutingDecision> {
  const inputs: Record<string, unknown> = { ...req, from: req.level }
  const rule = await activeRule(deps, req.category, inputs)
  const departmentCode = rule?.mode === 'beside' ? rule.departmentCode : null
  const codes = { gridCode: req.gridCode, communityCode: req.communityCode, streetCode: req.streetCode }
  const why = req.reason.trim() ? `：${req.reason.trim()}` : ''
  const from = req.level === 'grid' && req.gridCode ? `网格 ${req.gridCode}` : LEVEL_NAMES[req.level]

  if (req.level === 'grid' && req.communityCode) {
    const name = (await findCommunity(deps.ds, req.communityCode))?.name ?? req.communityCode
    return { level: 'community', ...codes, departmentCode, assigneeId: null, reason: `由${from}上报至${name}队列${why}`, inputs }
  }
  if ((req.level === 'grid' || req.level === 'community') && req.streetCode) {
    const name = (await findStreetName(deps.ds, req.streetCode)) ?? req.streetCode
    return { level: 'street', ...codes, departmentCode, assigneeId: null, reason: `由${from}上报至${name}综治中心${why}`, inputs }
  }
  const reason = req.level === 'district' ? `已在区综治中心，仍由区综治中心处理${why}` : `由${from}上报至区综治中心${why}`
  return { level: 'district', ...codes, departmentCode, assigneeId: null, reason, inputs }
}
