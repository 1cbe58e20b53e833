import { View } from '@tarojs/components'
import type { OpeningHours, OpeningPeriod } from '@palm/shared'
import { Field } from '../../../components/field'
import { DateTimeField, TextField } from '../../../components/fields'
import { WEEKDAY_LABELS } from '../../../utils/format'

/** The editor's plain form of weekly hours: the same one or two periods on each chosen day. */
export interface HoursDraft {
  days: number[]
  periods: Array<{ open: string; close: string }>
  note: string
}

export function hoursDraftOf(hours: OpeningHours | undefined): HoursDraft {
  if (!hours || hours.weekly.length === 0)
    return {
      days: [1, 2, 3, 4, 5],
      periods: [
        { open: '08:00', close: '11:30' },
        { open: '', close: '' }
      ],
      note: ''
    }
  const days = [...new Set(hours.weekly.map((p) => p.day))].sort()
  const first = hours.weekly.filter((p) => p.day === days[0]).sort((a, b) => a.open.localeCompare(b.open))
  const periods = first.slice(0, 2).map((p) => ({ open: p.open, close: p.close }))
  while (periods.length < 2) periods.push({ open: '', close: '' })
  return { days, periods, note: hours.note ?? '' }
}

/** Every chosen day gets every filled period; an empty second period is left out. */
export function hoursOf(draft: HoursDraft): OpeningHours {
  const periods = draft.periods.filter((p) => p.open && p.close)
  const weekly: OpeningPeriod[] = draft.days.flatMap((day) => periods.map((p) => ({ day, open: p.open, close: p.close })))
  return { weekly, ...(draft.note.trim() ? { note: draft.note.trim() } : {}) }
}

/** Days of the week as toggles, then the morning and (optional) afternoon period, then a note. */
export function HoursEditor({ value, onChange, error }: { value: HoursDraft; onChange: (v: HoursDraft) => void; error?: string }) {
  const toggle = (day: number) => onChange({ ...value, days: value.days.includes(day) ? value.days.filter((d) => d !== day) : [...value.days, day].sort() })
  const setPeriod = (i: number, key: 'open' | 'close', v: string) => onChange({ ...value, periods: value.periods.map((p, j) => (j === i ? { ...p, [key]: v } : p)) })
  return (
    <>
      <Field name='openingHours' label='开放日' required error={error}>
        <View className='day-toggle'>
          {[1, 2, 3, 4, 5, 6, 7].map((d) => (
            <View key={d} className={`chip${value.days.includes(d) ? ' is-active' : ''}`} role='checkbox' aria-checked={value.days.includes(d)} onClick={() => toggle(d)}>
              {WEEKDAY_LABELS[d]}
            </View>
          ))}
        </View>
      </Field>
      {value.periods.map((p, i) => (
        <View key={i} className='period-row'>
          <DateTimeField name={`open-${i}`} label={i === 0 ? '开始时间' : '第二段开始（选填）'} mode='time' value={p.open} onChange={(v) => setPeriod(i, 'open', v)} />
          <DateTimeField name={`close-${i}`} label={i === 0 ? '结束时间' : '第二段结束'} mode='time' value={p.close} onChange={(v) => setPeriod(i, 'close', v)} />
        </View>
      ))}
      <TextField name='hoursNote' label='时间说明（选填）' placeholder='如：节假日照常开放' maxlength={200} value={value.note} onChange={(note) => onChange({ ...value, note })} />
    </>
  )
}
