import { useState } from 'react'
import { View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import {
  ApproveTestingPointRequestSchema,
  CreateTestingPointSchema,
  QUEUE_LEVELS,
  TESTING_POINT_STATUSES,
  TestingPointLimits,
  type QueueLevel,
  type TestingPointRequestView,
  type TestingPointStatus,
  type TestingPointView
} from '@palm/shared'
import { CommunityPicker } from '../../../components/community-picker'
import { Field } from '../../../components/field'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { ActionButton } from '../../../components/buttons'
import { SelectField, TextAreaField, TextField } from '../../../components/fields'
import { StaffOnly } from '../../../components/access-cards'
import { useAction, useResource } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { isApiError } from '../../../services/api-error'
import { fieldByHead, fieldErrorsFrom, schemaIssues, type PathIssue } from '../../../services/form-errors'
import { testingPointsService } from '../../../services/testing-points.service'
import { POINT_STATUS_LABELS, QUEUE_LABELS } from '../../../utils/format'
import { Routes } from '../../../utils/routes'
import { HoursEditor, hoursDraftOf, hoursOf, type HoursDraft } from '../components/hours-editor'
import { PlacePicker, type Point } from '../components/place-picker'
import { StaffRoles } from '../components/staff-scope'
import '../components/staff.scss'
import { showError } from '../../../services/show-error'

const FIELDS = ['name', 'address', 'location', 'communityCode', 'openingHours', 'reply'] as const
type PointField = (typeof FIELDS)[number]
const fieldOf = fieldByHead(FIELDS)
const MESSAGES = {
  name: `请填写检测点名称（不超过 ${TestingPointLimits.nameMax} 字）`,
  address: `请填写地址（不超过 ${TestingPointLimits.addressMax} 字）`,
  location: '请选择检测点位置',
  communityCode: '请选择所属社区',
  openingHours: '请检查开放时间：至少选一天，结束时间要晚于开始时间',
  reply: '回复不能超过 500 字'
}

/** Loads what the form starts from, so the form's fields are filled once, when they are first drawn. */
function PointFormLoader({ id, requestId }: { id?: string; requestId?: string }) {
  const session = useSession()
  const existing = useResource(() => (id ? testingPointsService.get(id) : Promise.resolve(undefined)), { reloadOnShow: false })
  const request = useResource(
    () => (requestId ? testingPointsService.listRequests({ communityCode: session?.user.scope.communityCode }).then((l) => l.find((r) => r.ticketId === requestId)) : Promise.resolve(undefined)),
    { reloadOnShow: false }
  )
  if ((id && !existing.data) || (requestId && request.data === undefined)) {
    return (
      <StateView
        loading={existing.loading || request.loading}
        error={existing.error ?? request.error}
        onRetry={() => {
          void existing.reload()
          void request.reload()
        }}
      />
    )
  }
  return <PointForm id={id} requestId={requestId} existing={existing.data} request={request.data} />
}

/** Create or edit a point in scope, or (with `?requestId=`) approve a resident request by publishing its point. */
function PointForm({ id, requestId, existing, request }: { id?: string; requestId?: string; existing?: TestingPointView; request?: TestingPointRequestView }) {
  const session = useSession()
  const [name, setName] = useState(existing?.name ?? (request ? `${request.place}检测点` : ''))
  const [address, setAddress] = useState(existing?.address ?? request?.place ?? '')
  const [location, setLocation] = useState<Point | undefined>(existing?.location)
  const [communityCode, setCommunityCode] = useState(existing?.community.code ?? session?.user.scope.communityCode ?? '')
  const [hours, setHours] = useState<HoursDraft>(hoursDraftOf(existing?.openingHours))
  const [status, setStatus] = useState<TestingPointStatus>(existing?.status ?? 'open')
  const [queueLevel, setQueueLevel] = useState<QueueLevel>(existing?.queueLevel ?? 'none')
  const [reply, setReply] = useState(request ? `您申请的“${request.place}”检测点已开放，欢迎前往。` : '')
  const [errors, setErrors] = useState<Partial<Record<PointField, string>>>({})
  const action = useAction()

  const show = (issues: readonly PathIssue[]) => fieldErrorsFrom(issues, fieldOf, MESSAGES)

  async function handleSave() {
    const openingHours = hoursOf(hours)
    const body = { name, address, location, communityCode, openingHours, status, queueLevel }
    const found = requestId
      ? show(schemaIssues(ApproveTestingPointRequestSchema, { ...body, location: location ?? undefined, communityCode: communityCode || undefined, reply: reply || undefined }))
      : show(schemaIssues(CreateTestingPointSchema, body))
    if (openingHours.weekly.length === 0) found.openingHours = MESSAGES.openingHours
    setErrors(found)
    if (Object.keys(found).length > 0 || (!requestId && !location)) return
    await action.run(async () => {
      try {
        if (requestId) {
          const res = await testingPointsService.approve(requestId, {
            name,
            address,
            ...(location ? { location } : {}),
            ...(communityCode ? { communityCode } : {}),
            openingHours,
            status,
            queueLevel,
            ...(reply.trim() ? { reply } : {})
          })
          await Taro.showModal({ title: '已发布', content: `检测点已发布，已通知申请人和 ${res.notifiedSupporters} 位支持的居民。`, showCancel: false })
        } else if (id && location) {
          await testingPointsService.update(id, { name, address, location, communityCode, openingHours, status, queueLevel })
          void Taro.showToast({ title: '已保存', icon: 'success' })
        } else if (location) {
          await testingPointsService.create({ name, address, location, communityCode, openingHours, status, queueLevel })
          void Taro.showToast({ title: '已新增', icon: 'success' })
        }
        void Taro.navigateBack()
      } catch (err) {
        const fieldErrors = isApiError(err) ? show(err.issues) : {}
        if (Object.keys(fieldErrors).length > 0) setErrors(fieldErrors)
        else void showError(err)
      }
    })
  }

  return (
    <>
      {requestId ? <View className='notice'>发布后，申请工单自动办结，申请人和支持的居民都会收到通知。</View> : null}
      <View className='card'>
        <TextField name='name' label='名称' required maxlength={TestingPointLimits.nameMax} value={name} error={errors.name} onChange={setName} />
        <TextField name='address' label='地址' required maxlength={TestingPointLimits.addressMax} value={address} error={errors.address} onChange={setAddress} />
        {requestId ? null : (
          <Field name='communityCode' label='所属社区' required error={errors.communityCode}>
            <CommunityPicker depth='community' initial={{ streetCode: session?.user.scope.streetCode, communityCode }} onChange={(pick) => setCommunityCode(pick?.community?.code ?? '')} />
          </Field>
        )}
        <Field
          name='location'
          label={requestId ? '位置（默认用申请的位置）' : '位置'}
          required={!requestId}
          error={errors.location ?? (!requestId && !location && Object.keys(errors).length ? MESSAGES.location : undefined)}
        >
          <PlacePicker
            value={location}
            communityCode={communityCode || undefined}
            onChange={(p, addr) => {
              setLocation(p)
              if (addr && !address) setAddress(addr)
            }}
          />
        </Field>
        <HoursEditor value={hours} onChange={setHours} error={errors.openingHours} />
        <SelectField name='status' label='状态' options={TESTING_POINT_STATUSES.map((s) => ({ value: s, label: POINT_STATUS_LABELS[s] }))} value={status} onChange={setStatus} />
        <SelectField name='queueLevel' label='排队情况' options={QUEUE_LEVELS.map((q) => ({ value: q, label: QUEUE_LABELS[q] }))} value={queueLevel} onChange={setQueueLevel} />
        {requestId ? <TextAreaField name='reply' label='给居民的回复' maxlength={500} value={reply} error={errors.reply} onChange={setReply} /> : null}
      </View>
      <ActionButton className='btn-block point-save' busy={action.busy} busyText='正在保存…' onClick={() => void handleSave()}>
        {requestId ? '批准并发布' : id ? '保存修改' : '新增检测点'}
      </ActionButton>
    </>
  )
}

export default function PointEditPage() {
  const { params } = useRouter()
  return (
    <PageShell className='staff-point-edit'>
      <StaffOnly roles={params.requestId ? StaffRoles.approveRequests : StaffRoles.points} back={Routes.staffPoints}>
        <PointFormLoader id={params.id} requestId={params.requestId} />
      </StaffOnly>
    </PageShell>
  )
}
