import { PutRosterSchema, type PutRosterInput, type RosterEntryView } from '@palm/shared'
import type { PathIssue } from '../../../services/form-errors'

export type RosterField = 'workerId' | 'weekday' | 'start' | 'end'

/** One editable line of the weekly roster (key keeps React rows stable while lines are added and removed). */
export interface RosterRow {
  key: string
  workerId: string
  weekday: number
  start: string
  end: string
}

export type RowErrors = Record<number, Partial<Record<RosterField, string>>>

export const WEEKDAY_LABELS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'] as const

let seq = 0
/** A fresh row key. */
export function rowKey(): string {
  seq += 1
  return `row-${seq}`
}

export function rowsOf(entries: readonly RosterEntryView[]): RosterRow[] {
  return entries.map((e) => ({ key: e.id || rowKey(), workerId: e.workerId, weekday: e.weekday, start: e.start, end: e.end }))
}

/** Minutes since midnight of 'HH:MM' ('24:00' is 1440). */
function minutes(t: string): number {
  const [h, m] = t.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

function messageFor(field: RosterField, code: string): string {
  if (field === 'workerId') return code === 'too_small' ? '请选择网格员' : '该网格员不属于本网格'
  if (field === 'weekday') return '请选择星期'
  if (field === 'end') return code === 'invalid_format' ? '时间格式为 时:分' : '结束时间须晚于开始时间'
  return code === 'invalid_format' ? '时间格式为 时:分' : '与该网格员同一天的其他时段重叠'
}

/**
 * Issues with paths `entries.N.field` (the shared schema's and the server's 400) as messages on
 * row N, so the editor marks the very line to fix.
 */
export function rowErrorsFrom(issues: readonly PathIssue[]): RowErrors {
  const out: RowErrors = {}
  for (const issue of issues) {
    const m = /^entries\.(\d+)\.(workerId|weekday|start|end)$/.exec(issue.path)
    if (!m) continue
    const index = Number(m[1])
    const field = m[2] as RosterField
    const row = (out[index] ??= {})
    if (!row[field]) row[field] = messageFor(field, issue.code)
  }
  return out
}

/**
 * The body of `PUT /api/admin/rosters/:gridCode`, checked with the shared schema and for start
 * before end and overlaps of one worker on one day (the server checks the same and is the authority).
 */
export function buildRoster(rows: readonly RosterRow[]): { body?: PutRosterInput; errors: RowErrors } {
  const body = { entries: rows.map((r) => ({ workerId: r.workerId, weekday: r.weekday, start: r.start, end: r.end })) }
  const parsed = PutRosterSchema.safeParse(body)
  const errors = parsed.success ? {} : rowErrorsFrom(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), code: i.code })))
  rows.forEach((r, i) => {
    if (errors[i]?.end || errors[i]?.start) return
    if (minutes(r.start) >= minutes(r.end)) (errors[i] ??= {}).end = messageFor('end', 'custom')
  })
  rows.forEach((r, i) => {
    if (errors[i]) return
    const clash = rows.findIndex((o, j) => j < i && o.workerId === r.workerId && o.weekday === r.weekday && minutes(o.start) < minutes(r.end) && minutes(r.start) < minutes(o.end))
    if (clash >= 0) (errors[i] ??= {}).start = messageFor('start', 'custom')
  })
  return Object.keys(errors).length || !parsed.success ? { errors } : { body: parsed.data, errors }
}

/** 'YYYY-MM-DD' + 'HH:MM' in China time as the ISO instant the API takes. */
export function chinaInstant(date: string, time: string): string {
  return `${date}T${time}:00+08:00`
}
