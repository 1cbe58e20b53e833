import { DISTRICT_CODE, RankingWeightsSchema, type RankingQuery, type RankingRow, type RankingView, type RankingWeights } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { NotFoundError, ValidationError } from '../../errors'
import type { Actor } from '../auth/actor'
import { isInScope } from '../auth/policy'
import { recordAudit } from '../audit/index'
import { Community, Street } from '../territory/territory.entity'
import { beijingDay } from './facts'
import { sumFigures, sumsBy, unitFigures, type FigureSource } from './dashboard.service'
import { StatsRankingWeights } from './stats.entity'

const WEIGHTS_ID = 'current'

export async function readWeights(em: EntityManager): Promise<RankingWeights> {
  const row = await em.getRepository(StatsRankingWeights).findOneBy({ id: WEIGHTS_ID })
  return row ? { response: row.response, resolution: row.resolution, satisfaction: row.satisfaction } : { response: 30, resolution: 35, satisfaction: 35 }
}

/** The district admin sets the weighting; the change and the old values are in the audit trail (same transaction). */
export async function updateWeights(em: EntityManager, actor: Actor, input: RankingWeights, now: Date): Promise<RankingWeights> {
  const weights = RankingWeightsSchema.parse(input)
  const before = await readWeights(em)
  await em.getRepository(StatsRankingWeights).upsert({ id: WEIGHTS_ID, ...weights, updatedBy: actor.id, updatedAt: now }, ['id'])
  await recordAudit(em, { action: 'stats.weights_update', objectType: 'ranking_weights', objectId: WEIGHTS_ID, detail: { before, after: weights } })
  return weights
}

/** The last day of a month YYYY-MM. */
function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10)
}

/** The months asked for: `to` not before `from`, and none after the current (Beijing) month. */
export function monthRange(query: Pick<RankingQuery, 'from' | 'to'>, now: Date): { from: string; to: string } {
  const to = query.to ?? query.from
  const current = beijingDay(now).slice(0, 7)
  if (query.from > current) throw new ValidationError([{ path: 'from', code: 'too_big', message: 'A ranking period cannot lie in the future.' }])
  if (to > current) throw new ValidationError([{ path: 'to', code: 'too_big', message: 'A ranking period cannot lie in the future.' }])
  if (to < query.from) throw new ValidationError([{ path: 'to', code: 'too_small', message: '`to` must not come before `from`.' }])
  return { from: query.from, to }
}

/** 0–100: the weighted mean of the rates a unit has; a missing rate's weight is shared by the others. */
export function scoreOf(rates: { responseRate: number | null; resolutionRate: number | null; satisfactionRate: number | null }, w: RankingWeights): number | null {
  const parts: Array<[number | null, number]> = [
    [rates.responseRate, w.response],
    [rates.resolutionRate, w.resolution],
    [rates.satisfactionRate, w.satisfaction]
  ]
  let weight = 0
  let sum = 0
  for (const [r, wi] of parts) {
    if (r === null || wi === 0) continue
    weight += wi
    sum += wi * r
  }
  return weight === 0 ? null : Math.round((sum / weight) * 10_000) / 100
}

/**
 * The monthly ranking (考评) of the streets of the district, or the communities of a street (or of
 * the whole district): each unit's figures over the months, its score by the current weights, ranked
 * best first (equal scores share a rank; units with nothing to rate come last, unranked). Streets and
 * the whole district's communities are the district admin's; a street's communities its street admin's
 * too; anything else is a 404.
 */
export async function computeRanking(em: EntityManager, actor: Actor, query: RankingQuery, now: Date): Promise<RankingView> {
  const months = monthRange(query, now)
  const range = { from: `${months.from}-01`, to: lastDayOf(months.to) }
  let source: FigureSource
  let units: Array<{ code: string; name: string }>
  if (query.level === 'street') {
    if (query.within !== undefined && query.within !== DISTRICT_CODE) throw new NotFoundError('There is no such ranking for you.')
    if (!isInScope(actor, {})) throw new NotFoundError('There is no such ranking for you.')
    source = { table: 'rollup', dim: 'street', scope: '' }
    units = await em.getRepository(Street).find({ select: { code: true, name: true }, order: { code: 'ASC' } })
  } else if (query.within === undefined || query.within === DISTRICT_CODE) {
    if (!isInScope(actor, {})) throw new NotFoundError('There is no such ranking for you.')
    source = { table: 'rollup', dim: 'community', scope: null }
    units = await em.getRepository(Community).find({ select: { code: true, name: true }, order: { code: 'ASC' } })
  } else {
    const street = await em.getRepository(Street).findOneBy({ code: query.within })
    if (!street || !isInScope(actor, { streetCode: street.code })) throw new NotFoundError('There is no such ranking for you.')
    source = { table: 'rollup', dim: 'community', scope: street.code }
    units = await em.getRepository(Community).find({ select: { code: true, name: true }, where: { streetCode: street.code }, order: { code: 'ASC' } })
  }
  const [weights, raw] = await Promise.all([readWeights(em), sumFigures(em, source, range, 'item')])
  const sums = sumsBy(raw)
  const scored = units.map((u) => {
    const figures = unitFigures({ level: query.level, code: u.code, name: u.name }, sums.get(u.code))
    return { ...figures, score: scoreOf(figures, weights) }
  })
  scored.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.code.localeCompare(b.code))
  const rows: RankingRow[] = []
  scored.forEach((row, i) => {
    const previous = rows[i - 1]
    const rank = row.score === null ? null : previous && previous.score === row.score ? previous.rank : i + 1
    rows.push({ ...row, rank })
  })
  return { level: query.level, from: months.from, to: months.to, weights, rows }
}
