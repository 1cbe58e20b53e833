import type { EntityManager } from 'typeorm'
import type { TerritoryIssue, TerritoryLevel } from '@palm/shared'

/** Grids and communities an import would attach to another parent. */
export interface Moves {
  grids: string[]
  communities: string[]
}

const CHUNK = 500
const SHOWN_TICKETS = 20

/** Rows that keep a community from being removed besides open tickets and staff (resident services name it). */
const COMMUNITY_REFERENCES = ['testing_points', 'legal_stations', 'volunteers', 'volunteer_activities', 'hazard_entries'] as const

async function grouped(em: EntityManager, sql: (placeholders: string) => string, codes: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>()
  for (let i = 0; i < codes.length; i += CHUNK) {
    const part = codes.slice(i, i + CHUNK)
    const rows = (await em.query(sql(part.map(() => '?').join(', ')), part)) as Array<{ code: string; ref: string | number | null }>
    for (const row of rows) out.set(row.code, [...(out.get(row.code) ?? []), String(row.ref ?? '')])
  }
  return out
}

interface Uses {
  tickets: Map<string, string[]>
  staff: Map<string, string[]>
  other: Map<string, string[]>
}

async function usesOf(em: EntityManager, level: 'grid' | 'community', codes: readonly string[]): Promise<Uses> {
  const column = level === 'grid' ? 'grid_code' : 'community_code'
  const tickets = await grouped(em, (p) => `SELECT ${column} AS code, number AS ref FROM tickets WHERE state_group = 'open' AND ${column} IN (${p}) ORDER BY number`, codes)
  const staff = await grouped(em, (p) => `SELECT ${column} AS code, COALESCE(username, id) AS ref FROM users WHERE ${column} IN (${p})`, codes)
  const other = new Map<string, string[]>()
  const tables = level === 'grid' ? (['hazard_entries'] as const) : COMMUNITY_REFERENCES
  for (const table of tables) {
    const found = await grouped(em, (p) => `SELECT ${column} AS code, '${table}' AS ref FROM ${table} WHERE ${column} IN (${p})`, codes)
    for (const [code, refs] of found) other.set(code, [...(other.get(code) ?? []), ...refs])
  }
  return { tickets, staff, other }
}

type UseDetails = Pick<TerritoryIssue, 'ticketNumbers' | 'staffAccounts' | 'otherRecords'>

function describe(uses: Uses, code: string): { text: string; details: UseDetails } | null {
  const tickets = uses.tickets.get(code) ?? []
  const staff = uses.staff.get(code) ?? []
  const other = [...new Set(uses.other.get(code) ?? [])]
  const parts = [
    tickets.length ? `${tickets.length} open ticket(s) (${tickets.slice(0, SHOWN_TICKETS).join(', ')}${tickets.length > SHOWN_TICKETS ? ', …' : ''})` : '',
    staff.length ? `${staff.length} staff account(s) (${staff.slice(0, 5).join(', ')}${staff.length > 5 ? ', …' : ''})` : '',
    other.length ? `records in ${other.join(', ')}` : ''
  ].filter(Boolean)
  if (parts.length === 0) return null
  const details: UseDetails = {
    ...(tickets.length ? { ticketNumbers: tickets.slice(0, SHOWN_TICKETS) } : {}),
    ...(staff.length ? { staffAccounts: staff.slice(0, SHOWN_TICKETS) } : {}),
    ...(other.length ? { otherRecords: other } : {})
  }
  return { text: parts.join('; '), details }
}

/**
 * Why a removal or a move must not happen: open tickets, staff accounts (and, for communities,
 * resident-service records) that name the grid or community would point at nothing, or at a place
 * in another community. Those are errors; a removal nothing uses is a warning, so it is never silent.
 */
export async function findUsesOfRemoved(
  em: EntityManager,
  removedGrids: readonly string[],
  removedCommunities: readonly string[],
  moves: Moves
): Promise<{ errors: TerritoryIssue[]; warnings: TerritoryIssue[] }> {
  const errors: TerritoryIssue[] = []
  const warnings: TerritoryIssue[] = []
  const levels: Array<['grid' | 'community', readonly string[], readonly string[]]> = [
    ['grid', removedGrids, moves.grids],
    ['community', removedCommunities, moves.communities]
  ]
  for (const [level, removed, moved] of levels) {
    if (removed.length + moved.length === 0) continue
    const uses = await usesOf(em, level, [...removed, ...moved])
    for (const code of removed) {
      const used = describe(uses, code)
      const base = { featureCode: code, level: level as TerritoryLevel }
      if (used)
        errors.push({ ...base, code: 'removed_in_use', message: `${level} ${code} is missing from the file but still used by ${used.text}; keep it in the file or move those first.`, ...used.details })
      else warnings.push({ ...base, code: 'removed', message: `${level} ${code} is missing from the file and will be removed (nothing uses it).` })
    }
    for (const code of moved) {
      const used = describe(uses, code)
      if (used)
        errors.push({
          featureCode: code,
          level,
          code: 'moved_in_use',
          message: `${level} ${code} would move to another parent while used by ${used.text}; finish or transfer those first.`,
          ...used.details
        })
    }
  }
  return { errors, warnings }
}
