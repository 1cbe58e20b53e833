import { useState } from 'react'
import { View, Text, Switch } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { CreateScheduleSchema, type ProviderView } from '@palm/shared'
import { ActionButton } from '../../../components/buttons'
import { DateTimeField, SelectField, TextField } from '../../../components/fields'
import { Tag } from '../../../components/facts'
import { useAction, useResource } from '../../../hooks/use-resource'
import { legalService } from '../../../services/legal.service'
import { schemaIssues } from '../../../services/form-errors'
import { PROVIDER_KIND_LABELS, WEEKDAY_LABELS } from '../../../utils/format'
import { showError } from '../../../services/show-error'
import { namedSwitch } from '../../../components/a11y'

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: String(d), label: WEEKDAY_LABELS[d] }))

/** One provider: their weekly schedules (switch each on or off) and a form for a new one. */
export function ProviderPanel({ provider }: { provider: ProviderView }) {
  const schedules = useResource(() => legalService.schedules(provider.id), { reloadOnShow: false })
  const action = useAction()
  const [adding, setAdding] = useState(false)
  const [s, setS] = useState({ weekday: '1', startTime: '09:00', endTime: '11:30', slotMinutes: '30', capacity: '2' })
  const [error, setError] = useState<string>()

  async function handleAdd() {
    const input = { weekday: Number(s.weekday), startTime: s.startTime, endTime: s.endTime, slotMinutes: Number(s.slotMinutes), capacity: Number(s.capacity) }
    const issues = schemaIssues(CreateScheduleSchema, input)
    setError(issues.length ? '请检查：结束时间要晚于开始时间且至少容纳一个时段；时段 10–240 分钟；每段名额 1–100 人' : undefined)
    if (issues.length) return
    await action.run(async () => {
      try {
        await legalService.createSchedule(provider.id, input)
        setAdding(false)
        void schedules.reload(true)
        void Taro.showToast({ title: '已添加，请生成时段', icon: 'none' })
      } catch (err) {
        void showError(err)
      }
    })
  }

  async function handleToggle(id: string, active: boolean) {
    await action.run(async () => {
      try {
        await legalService.setScheduleActive(id, active)
        void schedules.reload(true)
      } catch (err) {
        void showError(err)
      }
    })
  }

  return (
    <View className='card provider-card'>
      <View className='list-card-head'>
        <Text className='list-card-title'>{provider.name}</Text>
        <Tag tone={provider.active ? 'ok' : 'plain'}>{provider.active ? PROVIDER_KIND_LABELS[provider.kind] : '已停用'}</Tag>
      </View>
      {provider.topics.length ? <View className='list-card-meta'>{provider.topics.join('、')}</View> : null}
      {(schedules.data ?? []).map((row) => (
        <View key={row.id} className='schedule-row'>
          <Text>{`${WEEKDAY_LABELS[row.weekday]} ${row.startTime}–${row.endTime} · 每 ${row.slotMinutes} 分钟 ${row.capacity} 人`}</Text>
          <Switch checked={row.active} color='#c8102e' {...namedSwitch('排班开关')} onChange={(e) => void handleToggle(row.id, Boolean(e.detail.value))} />
        </View>
      ))}
      {schedules.data?.length === 0 ? <View className='muted'>还没有排班</View> : null}
      {adding ? (
        <View className='schedule-form'>
          <SelectField name='weekday' label='星期' options={WEEKDAYS} value={s.weekday} onChange={(weekday) => setS({ ...s, weekday })} />
          <View className='period-row'>
            <DateTimeField name='startTime' label='开始' mode='time' value={s.startTime} onChange={(startTime) => setS({ ...s, startTime })} />
            <DateTimeField name='endTime' label='结束' mode='time' value={s.endTime} onChange={(endTime) => setS({ ...s, endTime })} />
          </View>
          <View className='period-row'>
            <TextField name='slotMinutes' label='每段分钟' type='number' maxlength={3} value={s.slotMinutes} onChange={(slotMinutes) => setS({ ...s, slotMinutes })} />
            <TextField name='capacity' label='每段名额' type='number' maxlength={3} value={s.capacity} onChange={(capacity) => setS({ ...s, capacity })} />
          </View>
          {error ? <View className='field-error'>{error}</View> : null}
          <ActionButton className='btn-block' busy={action.busy} onClick={() => void handleAdd()}>
            保存排班
          </ActionButton>
        </View>
      ) : (
        <View className='btn-row'>
          <ActionButton kind='ghost' onClick={() => setAdding(true)}>
            添加排班
          </ActionButton>
        </View>
      )}
    </View>
  )
}
