import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { ConsultationRecordSchema, LegalLimits } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { ActionButton } from '../../../components/buttons'
import { InfoRow, Tag } from '../../../components/facts'
import { StaffOnly } from '../../../components/access-cards'
import { TextAreaField } from '../../../components/fields'
import { useAction, useResource } from '../../../hooks/use-resource'
import { legalService } from '../../../services/legal.service'
import { schemaIssues } from '../../../services/form-errors'
import { formatTime, BOOKING_STATUS_LABELS, PROVIDER_KIND_LABELS, formatSpan } from '../../../utils/format'
import { Routes } from '../../../utils/routes'
import { StaffRoles } from '../components/staff-scope'
import { showError } from '../../../services/show-error'

/** Staff side of one booking: mark a no-show, or write the consultation record the resident will read. */
function StaffBooking({ id }: { id: string }) {
  const res = useResource(() => legalService.booking(id))
  const action = useAction()
  const [summary, setSummary] = useState('')
  const [advice, setAdvice] = useState('')
  const [error, setError] = useState<string>()
  const b = res.data
  if (!b) return <StateView loading={res.loading} error={res.error} onRetry={() => void res.reload()} />
  const started = Date.now() >= Date.parse(b.startsAt)

  async function handleNoShow() {
    const ok = await Taro.showModal({ title: '标记未到场', content: '确认该居民未按时到场？', confirmText: '确认' })
    if (!ok.confirm) return
    await action.run(async () => {
      try {
        res.setData(await legalService.markNoShow(id))
      } catch (err) {
        void showError(err)
      }
    })
  }
  async function handleRecord() {
    const input = { summary, advice }
    const bad = schemaIssues(ConsultationRecordSchema, input).length > 0
    setError(bad ? `请填写咨询要点（不超过 ${LegalLimits.recordMax} 字）` : undefined)
    if (bad) return
    await action.run(async () => {
      try {
        res.setData(await legalService.writeRecord(id, input))
        void Taro.showToast({ title: '已保存', icon: 'success' })
      } catch (err) {
        void showError(err)
      }
    })
  }

  return (
    <>
      <View className='card'>
        <View className='list-card-head'>
          <Text className='list-card-title'>{b.resident?.displayName ?? '居民'}</Text>
          <Tag>{BOOKING_STATUS_LABELS[b.status]}</Tag>
        </View>
        <InfoRow label='时间'>{formatSpan(b.startsAt, b.endsAt)}</InfoRow>
        <InfoRow label='咨询人员'>{`${PROVIDER_KIND_LABELS[b.provider.kind]} ${b.provider.name}`}</InfoRow>
        <InfoRow label='咨询事项'>{b.topic}</InfoRow>
        <InfoRow label='问题简述'>{b.description}</InfoRow>
      </View>
      {b.record ? (
        <View className='card'>
          <View className='card-title'>咨询记录</View>
          <View className='booking-record'>{b.record.summary}</View>
          {b.record.advice ? <View className='booking-record muted'>{b.record.advice}</View> : null}
          <View className='muted'>{`${b.record.writtenBy} · ${formatTime(b.record.writtenAt)}`}</View>
        </View>
      ) : null}
      {b.status === 'booked' && !started ? <View className='notice'>咨询开始后才能标记未到场或填写记录。</View> : null}
      {b.status === 'booked' && started ? (
        <View className='card'>
          <TextAreaField name='summary' label='咨询要点' required maxlength={LegalLimits.recordMax} value={summary} error={error} onChange={setSummary} />
          <TextAreaField name='advice' label='建议（居民可见）' maxlength={LegalLimits.recordMax} value={advice} onChange={setAdvice} />
          <View className='btn-row'>
            <ActionButton kind='plain' busy={action.busy} onClick={() => void handleNoShow()}>
              未到场
            </ActionButton>
            <ActionButton busy={action.busy} onClick={() => void handleRecord()}>
              保存记录
            </ActionButton>
          </View>
        </View>
      ) : null}
    </>
  )
}

export default function StaffBookingPage() {
  const { params } = useRouter()
  return (
    <PageShell className='staff-booking'>
      <StaffOnly roles={StaffRoles.stations} back={Routes.staffStations}>
        <StaffBooking id={params.id ?? ''} />
      </StaffOnly>
    </PageShell>
  )
}
