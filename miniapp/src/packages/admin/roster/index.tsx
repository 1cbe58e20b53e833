import { useEffect, useState } from 'react'
import { View, Text, Input } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { SUPERVISOR_ROLES, CreateLeaveSchema, DutyLimits, type RosterView } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { Field } from '../../../components/field'
import { namedInput } from '../../../components/a11y'
import { DateTimeField, FormNotice, SelectField } from '../../../components/fields'
import { StaffOnly } from '../../../components/access-cards'
import { useAction } from '../../../hooks/use-resource'
import { dutyService } from '../../../services/duty.service'
import { isApiError } from '../../../services/api-error'
import { errorMessage, showError } from '../../../services/show-error'
import { formatTime } from '../../../utils/format'
import { Routes } from '../../../utils/routes'
import { dutyReasonText } from '../../../pages/me/staff-cards'
import { WEEKDAY_LABELS, buildRoster, chinaInstant, rowErrorsFrom, rowKey, rowsOf, type RosterRow, type RowErrors } from './roster-rows'
import '../components/admin.scss'
import { ActionButton } from '../../../components/buttons'

const WEEKDAY_OPTIONS = WEEKDAY_LABELS.map((label, i) => ({ value: String(i + 1), label }))

function today(): string {
  const t = new Date(Date.now() + 8 * 3600_000)
  return t.toISOString().slice(0, 10)
}

/** The weekly lines: worker, weekday, start and end; errors shown on the line they belong to. */
function RosterEditor({ roster, onSaved }: { roster: RosterView; onSaved: (r: RosterView) => void }) {
  const [rows, setRows] = useState<RosterRow[]>(() => rowsOf(roster.entries))
  const [errors, setErrors] = useState<RowErrors>({})
  const [notice, setNotice] = useState<string>()
  const action = useAction()
  const workers = roster.workers.map((w) => ({ value: w.id, label: w.displayName }))

  const update = (i: number, patch: Partial<RosterRow>) => {
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)))
    setErrors((e) => {
      const next = { ...e }
      delete next[i]
      return next
    })
  }
  const add = () => {
    const last = rows[rows.length - 1]
    setRows((rs) => [
      ...rs,
      { key: rowKey(), workerId: last?.workerId ?? roster.workers[0]?.id ?? '', weekday: last ? (last.weekday % 7) + 1 : 1, start: last?.start ?? '08:30', end: last?.end ?? '17:30' }
    ])
  }
  const remove = (i: number) => {
    setRows((rs) => rs.filter((_, j) => j !== i))
    setErrors({})
  }

  async function save() {
    setNotice(undefined)
    const { body, errors: found } = buildRoster(rows)
    setErrors(found)
    if (!body) return setNotice('排班有误，请按标红的行修改。')
    await action.run(async () => {
      try {
        const saved = await dutyService.saveRoster(roster.gridCode, body)
        setRows(rowsOf(saved.entries))
        onSaved(saved)
        void Taro.showToast({ title: '排班已保存', icon: 'success' })
      } catch (err) {
        const rowErrs = isApiError(err) ? rowErrorsFrom(err.issues) : {}
        if (Object.keys(rowErrs).length) {
          setErrors(rowErrs)
          setNotice('排班有误，请按标红的行修改，未保存任何改动。')
        } else setNotice(errorMessage(err))
      }
    })
  }

  return (
    <View className='card roster-editor'>
      <View className='card-title'>每周排班</View>
      <View className='muted'>没有排班的网格员按在岗开关计算；有排班的，只在排班时段内且开关打开时计为在岗（北京时间）。跨午夜的班次请分成两行。</View>
      <FormNotice message={notice} />
      {workers.length === 0 ? <View className='muted'>本网格还没有网格员，请先在账号管理中把网格员分配到本网格。</View> : null}
      {rows.length === 0 && workers.length > 0 ? <View className='muted roster-empty'>尚无排班</View> : null}
      {rows.map((r, i) => {
        const e = errors[i] ?? {}
        const hasError = Object.keys(e).length > 0
        return (
          <View key={r.key} className={`roster-row roster-row-${i}${hasError ? ' has-error' : ''}`} role='group' aria-label={`第 ${i + 1} 行排班`}>
            <View className='roster-row-fields'>
              <SelectField name={`worker-${i}`} label='网格员' options={workers} value={r.workerId || undefined} error={e.workerId} onChange={(v) => update(i, { workerId: v })} />
              <SelectField name={`weekday-${i}`} label='星期' options={WEEKDAY_OPTIONS} value={String(r.weekday)} error={e.weekday} onChange={(v) => update(i, { weekday: Number(v) })} />
              <DateTimeField name={`start-${i}`} label='开始' mode='time' value={r.start} error={e.start} onChange={(v) => update(i, { start: v })} />
              <DateTimeField name={`end-${i}`} label='结束' mode='time' value={r.end === '24:00' ? '24:00' : r.end} error={e.end} onChange={(v) => update(i, { end: v })} />
            </View>
            <ActionButton kind='plain' className='roster-remove' label={`删除第 ${i + 1} 行`} onClick={() => remove(i)}>
              删除此行
            </ActionButton>
          </View>
        )
      })}
      <View className='btn-row'>
        {workers.length > 0 ? (
          <ActionButton kind='ghost' className='roster-add' onClick={add}>
            添加一行
          </ActionButton>
        ) : null}
        <ActionButton className='roster-save' busy={action.busy} busyText='正在保存…' onClick={() => void save()}>
          保存排班
        </ActionButton>
      </View>
    </View>
  )
}

/** Leave periods (请假): a worker on leave is never on duty, in any of their grids. */
function Leaves({ roster, onChanged }: { roster: RosterView; onChanged: (r: RosterView) => void }) {
  const [workerId, setWorkerId] = useState<string | undefined>(roster.workers[0]?.id)
  const [from, setFrom] = useState({ date: today(), time: '00:00' })
  const [to, setTo] = useState({ date: today(), time: '23:59' })
  const [reason, setReason] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const action = useAction()
  const workers = roster.workers.map((w) => ({ value: w.id, label: w.displayName }))

  async function add() {
    const body = { workerId: workerId ?? '', from: chinaInstant(from.date, from.time), to: chinaInstant(to.date, to.time), ...(reason.trim() ? { reason: reason.trim() } : {}) }
    const found: Record<string, string> = {}
    if (!workerId) found.workerId = '请选择网格员'
    if (!CreateLeaveSchema.safeParse(body).success && !found.workerId) found.to = '请选择开始和结束时间'
    if (Date.parse(body.to) <= Date.parse(body.from)) found.to = '结束时间须晚于开始时间'
    setErrors(found)
    if (Object.keys(found).length) return
    await action.run(async () => {
      try {
        onChanged(await dutyService.addLeave(roster.gridCode, CreateLeaveSchema.parse(body)))
        setReason('')
        void Taro.showToast({ title: '已登记请假', icon: 'success' })
      } catch (err) {
        const issue = isApiError(err) ? err.issues[0] : undefined
        if (issue?.path === 'to') setErrors({ to: `结束须晚于开始，且请假不超过 ${DutyLimits.maxLeaveDays} 天` })
        else if (issue?.path === 'workerId') setErrors({ workerId: '该网格员不属于本网格' })
        else void showError(err)
      }
    })
  }

  async function remove(id: string) {
    const res = await Taro.showModal({ title: '删除请假', content: '删除后该网格员按排班和开关计算在岗。', confirmText: '删除' })
    if (!res.confirm) return
    await action.run(async () => {
      try {
        onChanged(await dutyService.removeLeave(roster.gridCode, id))
      } catch (err) {
        void showError(err)
      }
    })
  }

  return (
    <View className='card leaves'>
      <View className='card-title'>请假</View>
      {roster.leaves.length === 0 ? <View className='muted'>没有未结束的请假</View> : null}
      {roster.leaves.map((l) => (
        <View key={l.id} className='duty-worker leave-row'>
          <View className='duty-worker-text'>
            <Text>{l.workerName}</Text>
            <Text className='muted'>{`${formatTime(l.from)} 至 ${formatTime(l.to)}${l.reason ? ` · ${l.reason}` : ''}`}</Text>
          </View>
          <ActionButton kind='plain' className='leave-remove' label={`删除${l.workerName}的请假`} onClick={() => void remove(l.id)}>
            删除
          </ActionButton>
        </View>
      ))}
      {workers.length > 0 ? (
        <View className='leave-form' role='form' aria-label='登记请假'>
          <View className='section-title'>登记请假</View>
          <SelectField name='leave-worker' label='网格员' options={workers} value={workerId} error={errors.workerId} onChange={setWorkerId} />
          <View className='roster-row-fields'>
            <DateTimeField name='leave-from-date' label='开始日期' mode='date' value={from.date} onChange={(v) => setFrom((x) => ({ ...x, date: v }))} />
            <DateTimeField name='leave-from-time' label='开始时间' mode='time' value={from.time} onChange={(v) => setFrom((x) => ({ ...x, time: v }))} />
          </View>
          <View className='roster-row-fields'>
            <DateTimeField name='leave-to-date' label='结束日期' mode='date' value={to.date} error={errors.to} onChange={(v) => setTo((x) => ({ ...x, date: v }))} />
            <DateTimeField name='leave-to-time' label='结束时间' mode='time' value={to.time} onChange={(v) => setTo((x) => ({ ...x, time: v }))} />
          </View>
          <Field name='leave-reason' label='事由（选填）'>
            <Input className='field-input input-leave-reason' value={reason} maxlength={DutyLimits.reasonMaxLength} {...namedInput('请假事由')} onInput={(e) => setReason(e.detail.value)} />
          </Field>
          <ActionButton className='btn-block leave-add' busy={action.busy} busyText='正在登记…' onClick={() => void add()}>
            登记请假
          </ActionButton>
        </View>
      ) : null}
    </View>
  )
}

function RosterPageBody({ gridCode }: { gridCode: string }) {
  const [roster, setRoster] = useState<RosterView>()
  const [error, setError] = useState<unknown>()
  const [version, setVersion] = useState(0)
  function load() {
    setError(undefined)
    dutyService.roster(gridCode).then(setRoster).catch(setError)
  }
  useEffect(load, [gridCode])
  if (!roster) return <StateView loading={!error} error={error} onRetry={load} />
  return (
    <>
      <View className='card'>
        <View className='card-title'>{roster.gridName}</View>
        {roster.workers.map((w) => (
          <View key={w.id} className='duty-worker'>
            <Text>{w.displayName}</Text>
            <Text className={`admin-tag ${w.onDutyNow ? 'is-ok' : ''}`}>{w.onDutyNow ? '现在在岗' : `不在岗 · ${dutyReasonText(w.reason)}`}</Text>
          </View>
        ))}
      </View>
      <RosterEditor
        key={version}
        roster={roster}
        onSaved={(r) => {
          setRoster(r)
          setVersion((v) => v + 1)
        }}
      />
      <Leaves roster={roster} onChanged={setRoster} />
    </>
  )
}

/** 网格排班: one grid's weekly roster (per worker: weekday, start, end) and its leave periods. */
export default function AdminRosterPage() {
  const { params } = useRouter()
  const gridCode = params.gridCode ?? ''
  return (
    <PageShell className='admin-page admin-roster'>
      <StaffOnly roles={SUPERVISOR_ROLES} back={Routes.adminRoster(gridCode)}>
        {gridCode ? <RosterPageBody gridCode={gridCode} /> : <StateView empty emptyText='请从“排班与在岗”选择网格' />}
      </StaffOnly>
    </PageShell>
  )
}
