import { useCallback, useEffect, useMemo, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { DEFAULT_CATEGORIES, type DashboardView, type RankingView, type RankingWeights, type StatsLevel, type UnitFigures } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { ChoiceGroup } from '../../../components/choice-group'
import { ActionButton } from '../../../components/buttons'
import { FormNotice, TextField } from '../../../components/fields'
import { pressable } from '../../../components/a11y'
import { useSession } from '../../../hooks/use-session'
import type { SessionUser } from '../../../services/session'
import { statsService, type DashboardParams, type RankingParams } from '../../../services/stats.service'
import { saveTextFile, withBom } from '../../../services/file-export'
import { errorMessage, showError } from '../../../services/show-error'
import { formatRate } from '../../../utils/format'
import { openPage, Routes } from '../../../utils/routes'
import { F2Chart } from './f2-chart'
import './index.scss'

type Days = '7' | '30' | '90'
const RANGES: ReadonlyArray<{ value: Days; label: string }> = [
  { value: '7', label: '近 7 天' },
  { value: '30', label: '近 30 天' },
  { value: '90', label: '近 90 天' }
]
const GRANULARITIES: ReadonlyArray<{ value: 'day' | 'week'; label: string }> = [
  { value: 'day', label: '按日' },
  { value: 'week', label: '按周' }
]
type MonthChoice = 'this' | 'last'
const MONTHS: ReadonlyArray<{ value: MonthChoice; label: string }> = [
  { value: 'this', label: '本月' },
  { value: 'last', label: '上月' }
]
const LEVEL_NAMES: Record<StatsLevel, string> = { district: '区', street: '街道', community: '社区', grid: '网格' }
const CATEGORY_NAMES = new Map(DEFAULT_CATEGORIES.map((c) => [c.code, c.name]))
const categoryName = (code: string) => CATEGORY_NAMES.get(code) ?? code

/** Today in Beijing, YYYY-MM-DD (the server counts whole Beijing days). */
function beijingToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)
}
function daysBefore(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10)
}
function monthOf(choice: MonthChoice): string {
  const today = beijingToday()
  if (choice === 'this') return today.slice(0, 7)
  return daysBefore(`${today.slice(0, 7)}-01`, 1).slice(0, 7)
}

/** The unit a staff member oversees: their grid, community or street; everyone else the district. */
function unitOf(user: SessionUser): { level: StatsLevel; code?: string } {
  if (user.role === 'grid_worker' && user.scope.gridCode) return { level: 'grid', code: user.scope.gridCode }
  if (user.role === 'community_staff' && user.scope.communityCode) return { level: 'community', code: user.scope.communityCode }
  if (user.role === 'street_admin' && user.scope.streetCode) return { level: 'street', code: user.scope.streetCode }
  return { level: 'district' }
}

/** The ranking a user may read: the streets for the district admin, a street's communities for its admin; none for others. */
function rankingOf(user: SessionUser): Omit<RankingParams, 'from'> | null {
  if (user.role === 'district_admin') return { level: 'street' }
  if (user.role === 'street_admin' && user.scope.streetCode) return { level: 'community', within: user.scope.streetCode }
  return null
}

function Rates({ f }: { f: UnitFigures }) {
  return (
    <View className='stats-rates'>
      {(
        [
          ['响应率', f.responseRate, 'rate-response'],
          ['解决率', f.resolutionRate, 'rate-resolution'],
          ['满意率', f.satisfactionRate, 'rate-satisfaction']
        ] as const
      ).map(([label, value, cls]) => (
        <View key={label} className={`stats-rate ${cls}`}>
          <Text className='stats-rate-value'>{formatRate(value)}</Text>
          <Text className='stats-rate-label'>{label}</Text>
        </View>
      ))}
    </View>
  )
}

/** Each child unit side by side: received, the three rates, overdue; a row opens that unit's dashboard. */
function UnitTable({ rows, onOpen }: { rows: UnitFigures[]; onOpen?: (u: UnitFigures) => void }) {
  return (
    <View className='stats-table' role='table' aria-label='下级单位对比'>
      <View className='stats-tr stats-th' role='row'>
        <View className='stats-td stats-name' role='columnheader'>
          单位
        </View>
        <View className='stats-td' role='columnheader'>
          受理
        </View>
        <View className='stats-td' role='columnheader'>
          响应率
        </View>
        <View className='stats-td' role='columnheader'>
          解决率
        </View>
        <View className='stats-td' role='columnheader'>
          满意率
        </View>
        <View className='stats-td' role='columnheader'>
          超时
        </View>
      </View>
      {rows.map((u) => {
        const open = onOpen ? () => onOpen(u) : undefined
        return (
          <View key={u.code} className={`stats-tr stats-row-${u.code}`} role='row'>
            <View className='stats-td stats-name' role='cell'>
              {open ? (
                <View className='stats-link' onClick={open} {...pressable(open, { role: 'link' })}>
                  {u.name}
                </View>
              ) : (
                u.name
              )}
            </View>
            <View className='stats-td' role='cell'>
              {u.received}
            </View>
            <View className='stats-td' role='cell'>
              {formatRate(u.responseRate)}
            </View>
            <View className='stats-td' role='cell'>
              {formatRate(u.resolutionRate)}
            </View>
            <View className='stats-td' role='cell'>
              {formatRate(u.satisfactionRate)}
            </View>
            <View className={`stats-td${u.overdue > 0 ? ' stats-overdue' : ''}`} role='cell'>
              {u.overdue}
            </View>
          </View>
        )
      })}
    </View>
  )
}

function RankingCard({ user }: { user: SessionUser }) {
  const base = rankingOf(user)
  const [month, setMonth] = useState<MonthChoice>('this')
  const [ranking, setRanking] = useState<RankingView>()
  const [error, setError] = useState<unknown>()
  const [weights, setWeights] = useState<Record<keyof RankingWeights, string>>()
  const [notice, setNotice] = useState<string>()
  const [busy, setBusy] = useState(false)
  const params = useMemo(() => (base ? { ...base, from: monthOf(month) } : null), [base?.level, base?.within, month])

  const load = useCallback(async () => {
    if (!params) return
    setError(undefined)
    try {
      const view = await statsService.ranking(params)
      setRanking(view)
      setWeights({ response: String(view.weights.response), resolution: String(view.weights.resolution), satisfaction: String(view.weights.satisfaction) })
    } catch (err) {
      setError(err)
    }
  }, [params])
  useEffect(() => void load(), [load])

  if (!params) return null
  const save = async () => {
    if (!weights) return
    setBusy(true)
    setNotice(undefined)
    try {
      await statsService.saveWeights({ response: Number(weights.response), resolution: Number(weights.resolution), satisfaction: Number(weights.satisfaction) })
      setNotice('权重已保存，排名已按新权重计算。')
      await load()
    } catch (err) {
      setNotice(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }
  const exportCsv = async () => {
    try {
      const text = await statsService.rankingCsv(params)
      await saveTextFile(`考评排名-${params.from}.csv`, withBom(text), 'text/csv')
    } catch (err) {
      void showError(err)
    }
  }
  const title = params.level === 'street' ? '街道月度考评排名' : '社区月度考评排名'
  return (
    <View className='card stats-ranking'>
      <View className='card-title'>{title}</View>
      <ChoiceGroup name='ranking-month' label='考评月份' options={MONTHS} value={month} onChange={setMonth} hideLabel />
      {error || !ranking ? (
        <StateView loading={!error} error={error} onRetry={() => void load()} />
      ) : (
        <>
          <View className='muted stats-weights-text'>
            得分＝响应率×{ranking.weights.response}%＋解决率×{ranking.weights.resolution}%＋满意率×{ranking.weights.satisfaction}%（缺少的比率按其余权重折算）
          </View>
          {ranking.rows.some((r) => r.score !== null) ? (
            <View
              className='stats-score-bars'
              role='img'
              aria-label={`${title}得分图：${ranking.rows
                .filter((r) => r.score !== null)
                .map((r) => `第${r.rank}名${r.name}${r.score}分`)
                .join('，')}`}
            >
              {ranking.rows
                .filter((r) => r.score !== null)
                .map((r) => (
                  <View key={r.code} className='stats-score-bar-row'>
                    <Text className='stats-score-bar-name'>{r.name}</Text>
                    <View className='stats-score-bar-track'>
                      <View className='stats-score-bar' style={{ width: `${Math.max(0, Math.min(100, r.score ?? 0))}%` }} />
                    </View>
                    <Text className='stats-score-bar-value'>{r.score}</Text>
                  </View>
                ))}
            </View>
          ) : (
            <View className='muted'>本月暂无可评分的单位。</View>
          )}
          <View className='stats-table' role='table' aria-label={title}>
            <View className='stats-tr stats-th' role='row'>
              <View className='stats-td stats-rank' role='columnheader'>
                名次
              </View>
              <View className='stats-td stats-name' role='columnheader'>
                单位
              </View>
              <View className='stats-td' role='columnheader'>
                得分
              </View>
              <View className='stats-td' role='columnheader'>
                响应率
              </View>
              <View className='stats-td' role='columnheader'>
                解决率
              </View>
              <View className='stats-td' role='columnheader'>
                满意率
              </View>
            </View>
            {ranking.rows.map((r) => (
              <View key={r.code} className='stats-tr stats-ranking-row' role='row'>
                <View className='stats-td stats-rank' role='cell'>
                  {r.rank ?? '—'}
                </View>
                <View className='stats-td stats-name' role='cell'>
                  {r.name}
                </View>
                <View className='stats-td' role='cell'>
                  {r.score ?? '—'}
                </View>
                <View className='stats-td' role='cell'>
                  {formatRate(r.responseRate)}
                </View>
                <View className='stats-td' role='cell'>
                  {formatRate(r.resolutionRate)}
                </View>
                <View className='stats-td' role='cell'>
                  {formatRate(r.satisfactionRate)}
                </View>
              </View>
            ))}
          </View>
          <ActionButton kind='ghost' className='stats-export-ranking' onClick={() => void exportCsv()}>
            导出排名 CSV
          </ActionButton>
          {user.role === 'district_admin' && weights ? (
            <View className='stats-weights'>
              <View className='card-subtitle'>考评权重（%，合计 100）</View>
              <TextField name='weight-response' label='响应率权重' type='number' value={weights.response} onChange={(v) => setWeights({ ...weights, response: v })} />
              <TextField name='weight-resolution' label='解决率权重' type='number' value={weights.resolution} onChange={(v) => setWeights({ ...weights, resolution: v })} />
              <TextField name='weight-satisfaction' label='满意率权重' type='number' value={weights.satisfaction} onChange={(v) => setWeights({ ...weights, satisfaction: v })} />
              <FormNotice message={notice} />
              <ActionButton className='stats-save-weights' busy={busy} onClick={() => void save()}>
                保存权重
              </ActionButton>
            </View>
          ) : null}
        </>
      )}
    </View>
  )
}

/** The dashboard (数据看板): the unit's rates, its children side by side, trend, categories, hot spots, the monthly ranking. */
export default function StatsPage() {
  const session = useSession()
  const home = session ? unitOf(session.user) : undefined
  const [trail, setTrail] = useState<Array<{ level: StatsLevel; code?: string }>>([])
  const [days, setDays] = useState<Days>('30')
  const [granularity, setGranularity] = useState<'day' | 'week'>('day')
  const [view, setView] = useState<DashboardView>()
  const [error, setError] = useState<unknown>()
  const [loading, setLoading] = useState(true)
  const focus = trail.at(-1) ?? home

  const params = useMemo<DashboardParams | undefined>(() => {
    if (!focus) return undefined
    const to = beijingToday()
    return { level: focus.level, code: focus.code, from: daysBefore(to, Number(days) - 1), to, granularity }
  }, [focus?.level, focus?.code, days, granularity])

  const load = useCallback(async () => {
    if (!params) return
    setLoading(true)
    setError(undefined)
    try {
      setView(await statsService.dashboard(params))
    } catch (err) {
      setError(err)
    } finally {
      setLoading(false)
    }
  }, [params])

  useEffect(() => void load(), [load])
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()))

  const exportCsv = async () => {
    if (!params) return
    try {
      const text = await statsService.dashboardCsv(params)
      await saveTextFile(`数据看板-${view?.unit.name ?? ''}-${params.from}-${params.to}.csv`, withBom(text), 'text/csv')
    } catch (err) {
      void showError(err)
    }
  }

  const childName = view?.childLevel ? LEVEL_NAMES[view.childLevel] : ''
  return (
    <PageShell className='stats'>
      <ChoiceGroup name='stats-range' label='统计时段' options={RANGES} value={days} onChange={setDays} hideLabel />
      {trail.length > 0 ? (
        <ActionButton kind='plain' className='stats-up' onClick={() => setTrail(trail.slice(0, -1))}>
          ← 返回上级
        </ActionButton>
      ) : null}
      {loading || error || !view ? (
        <StateView loading={loading} error={error} onRetry={() => void load()} />
      ) : (
        <>
          <View className='card stats-card'>
            <View className='card-title stats-unit-name'>{view.unit.name}</View>
            <View className='muted'>
              {view.from} 至 {view.to}（按受理日期）
            </View>
            <Rates f={view.unit} />
            <View className='stats-counts'>
              <View className='row'>
                <Text>受理工单</Text>
                <Text className='stats-received'>{view.unit.received}</Text>
              </View>
              <View className='row'>
                <Text>其中巡查发现 / 代报</Text>
                <Text>
                  {view.unit.patrol} / {view.unit.onBehalf}
                </Text>
              </View>
              <View className='row'>
                <Text>按时响应 / 超时未响应</Text>
                <Text>
                  {view.unit.acceptedOnTime} / {view.unit.acceptMissed}
                </Text>
              </View>
              <View className='row'>
                <Text>已解决 / 超期未解决</Text>
                <Text>
                  {view.unit.resolved} / {view.unit.openPastResolve}
                </Text>
              </View>
              <View className='row'>
                <Text>已评价 / 满意</Text>
                <Text>
                  {view.unit.rated} / {view.unit.satisfied}
                </Text>
              </View>
              <View className='row'>
                <Text>超时工单</Text>
                <Text className={view.unit.overdue > 0 ? 'stats-overdue' : ''}>{view.unit.overdue}</Text>
              </View>
            </View>
            <View className='muted'>响应率＝按时响应÷（按时响应＋超时未响应）；解决率＝已解决÷（已解决＋超期未解决）；满意率＝满意和基本满意÷已评价。仍在时限内的工单不计为失败。</View>
            <ActionButton kind='ghost' className='stats-export' onClick={() => void exportCsv()}>
              导出 CSV
            </ActionButton>
          </View>

          {view.hotspots.length > 0 ? (
            <View className='card stats-hotspots' role='region' aria-label='热点预警'>
              <View className='card-title'>热点预警（未诉先办）</View>
              {view.hotspots.map((h) => (
                <View key={h.id} className='stats-hotspot'>
                  <View className='stats-hotspot-title'>
                    {h.gridName} · {categoryName(h.category)}：{h.windowFrom.slice(5)} 至 {h.windowTo.slice(5)} 共 {h.ticketCount} 件（平时约 {h.baseline.toFixed(1)} 件）
                  </View>
                  <View className='stats-hotspot-tickets'>
                    {h.tickets.map((t) => (
                      <Text
                        key={t.id}
                        className='stats-hotspot-ticket'
                        onClick={() => openPage(Routes.staffTicket(t.id))}
                        {...pressable(() => openPage(Routes.staffTicket(t.id)), { role: 'link', label: `工单 ${t.number}` })}
                      >
                        {t.number}
                      </Text>
                    ))}
                  </View>
                </View>
              ))}
            </View>
          ) : null}

          {view.children.length > 0 ? (
            <View className='card stats-children'>
              <View className='card-title'>各{childName}对比</View>
              <F2Chart
                id='chart-children'
                kind='hbar'
                height={Math.max(160, view.children.length * 24)}
                label={`各${childName}受理量：${view.children.map((c) => `${c.name}${c.received}件`).join('，')}`}
                data={[...view.children].reverse().map((c) => ({ x: c.name, y: c.received }))}
              />
              <UnitTable rows={view.children} onOpen={view.childLevel ? (u) => setTrail([...trail, { level: u.level, code: u.code }]) : undefined} />
            </View>
          ) : null}

          <View className='card stats-trend'>
            <View className='card-title'>受理趋势</View>
            <ChoiceGroup name='stats-granularity' label='趋势粒度' options={GRANULARITIES} value={granularity} onChange={setGranularity} hideLabel />
            <F2Chart
              id='chart-trend'
              kind='line'
              height={200}
              label={`受理趋势（${granularity === 'day' ? '按日' : '按周'}）：共 ${view.trend.length} 个时段，合计 ${view.unit.received} 件`}
              data={view.trend.map((p) => ({ x: p.period.slice(5), y: p.received }))}
            />
          </View>

          <View className='card stats-categories'>
            <View className='card-title'>分类统计</View>
            {view.categories.length === 0 ? (
              <View className='muted'>该时段没有工单。</View>
            ) : (
              <>
                <F2Chart
                  id='chart-categories'
                  kind='bar'
                  height={200}
                  label={`分类受理量：${view.categories.map((c) => `${categoryName(c.category)}${c.received}件`).join('，')}`}
                  data={view.categories.map((c) => ({ x: categoryName(c.category), y: c.received }))}
                />
                {view.categories.map((c) => (
                  <View key={c.category} className='row stats-category'>
                    <Text>{categoryName(c.category)}</Text>
                    <Text>
                      {c.received} 件 · 响应 {formatRate(c.responseRate)} · 解决 {formatRate(c.resolutionRate)}
                    </Text>
                  </View>
                ))}
              </>
            )}
          </View>
        </>
      )}
      {session && trail.length === 0 ? <RankingCard user={session.user} /> : null}
    </PageShell>
  )
}
