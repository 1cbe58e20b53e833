import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { VolunteerStatus, VolunteerView } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { ActionButton } from '../../../components/buttons'
import { Chips, TextField } from '../../../components/fields'
import { InfoRow, Tag } from '../../../components/facts'
import { StaffOnly } from '../../../components/access-cards'
import { useAction, useResource } from '../../../hooks/use-resource'
import { volunteersService } from '../../../services/volunteers.service'
import { formatTime, VOLUNTEER_STATUS_LABELS } from '../../../utils/format'
import { Routes } from '../../../utils/routes'
import { StaffRoles } from '../components/staff-scope'
import '../components/staff.scss'
import { showError } from '../../../services/show-error'

const TABS: Array<{ value: VolunteerStatus; label: string }> = [
  { value: 'pending', label: '待审核' },
  { value: 'approved', label: '已通过' },
  { value: 'rejected', label: '未通过' }
]

function Applicant({ v, onDecided }: { v: VolunteerView; onDecided: () => void }) {
  const action = useAction()
  const [rejecting, setRejecting] = useState(false)
  const [reason, setReason] = useState('')
  const decide = (work: () => Promise<VolunteerView>, done: string) =>
    action.run(async () => {
      try {
        await work()
        void Taro.showToast({ title: done, icon: 'success' })
        onDecided()
      } catch (err) {
        void showError(err)
      }
    })
  return (
    <View className='card list-card volunteer-card'>
      <View className='list-card-head'>
        <Text className='list-card-title'>{v.name}</Text>
        <Tag tone={v.status === 'approved' ? 'ok' : v.status === 'pending' ? 'warn' : 'plain'}>{VOLUNTEER_STATUS_LABELS[v.status]}</Tag>
      </View>
      <InfoRow label='编号'>{v.number}</InfoRow>
      <InfoRow label='手机'>{v.phone}</InfoRow>
      <InfoRow label='社区'>{v.community.name}</InfoRow>
      {v.skills.length ? <InfoRow label='特长'>{v.skills.join('、')}</InfoRow> : null}
      <InfoRow label='申请时间'>{formatTime(v.createdAt)}</InfoRow>
      {v.rejectionReason ? <InfoRow label='原因'>{v.rejectionReason}</InfoRow> : null}
      {v.status === 'pending' && rejecting ? (
        <>
          <TextField name='reason' label='不通过原因（申请人可见）' maxlength={500} value={reason} onChange={setReason} />
          <ActionButton kind='plain' className='btn-block' busy={action.busy} disabled={!reason.trim()} onClick={() => void decide(() => volunteersService.reject(v.id, reason.trim()), '已处理')}>
            确认不通过
          </ActionButton>
        </>
      ) : null}
      {v.status === 'pending' && !rejecting ? (
        <View className='btn-row'>
          <ActionButton kind='plain' className='volunteer-reject' onClick={() => setRejecting(true)}>
            不通过
          </ActionButton>
          <ActionButton className='volunteer-approve' busy={action.busy} onClick={() => void decide(() => volunteersService.approve(v.id), '已通过')}>
            通过
          </ActionButton>
        </View>
      ) : null}
    </View>
  )
}

/** Alliance registrations in scope: approve (the resident becomes a volunteer) or refuse with a reason. */
function Volunteers() {
  const [status, setStatus] = useState<VolunteerStatus>('pending')
  const list = useResource(() => volunteersService.list(status), { deps: [status] })
  return (
    <>
      <Chips options={TABS} value={status} onChange={setStatus} />
      {list.data === undefined || list.loading ? <StateView loading={list.loading} error={list.error} onRetry={() => void list.reload()} /> : null}
      {!list.loading && list.data?.length === 0 ? <StateView empty emptyText='暂无' /> : null}
      {list.loading ? null : (list.data ?? []).map((v) => <Applicant key={v.id} v={v} onDecided={() => void list.reload(true)} />)}
    </>
  )
}

export default function StaffVolunteersPage() {
  return (
    <PageShell className='staff-volunteers'>
      <StaffOnly roles={StaffRoles.volunteers} back={Routes.staffVolunteers}>
        <Volunteers />
      </StaffOnly>
    </PageShell>
  )
}
