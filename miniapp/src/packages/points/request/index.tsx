import { useRef, useState } from 'react'
import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { CreateTicketSchema } from '@palm/shared'
import { Field } from '../../../components/field'
import { PageShell } from '../../../components/page-shell'
import { ActionButton } from '../../../components/buttons'
import { SignInCard } from '../../../components/access-cards'
import { TextAreaField, TextField, scrollToFirstError } from '../../../components/fields'
import { useSession } from '../../../hooks/use-session'
import { isApiError } from '../../../services/api-error'
import { newIdempotencyKey } from '../../../services/idempotency'
import type { ReportDraft } from '../../../services/report-draft'
import { fieldByHead, fieldErrorsFrom, schemaIssues, textMessage, type PathIssue } from '../../../services/form-errors'
import { pointRequestTicket, testingPointsService } from '../../../services/testing-points.service'
import { Routes, replacePage } from '../../../utils/routes'
import { LocationField } from '../../report/components/location-field'
import '../components/points.scss'
import { showError } from '../../../services/show-error'

const FIELDS = ['place', 'reason', 'peopleServed', 'location'] as const
type RequestField = (typeof FIELDS)[number]
const fieldOf = fieldByHead(FIELDS, { communityCode: 'location', description: 'reason' })
const MESSAGES = {
  place: textMessage('请填写希望设点的地方', 100),
  reason: textMessage('请说明为什么需要在这里设点', 500),
  peopleServed: '请填写大约人数（整数），不清楚可不填',
  location: (code: string) => (code === 'out_of_district' ? '该位置不在平城区内，请重新定位或选择社区' : '请定位或选择所在社区')
}
type Place = Pick<ReportDraft, 'location' | 'locationLabel' | 'communityCode' | 'communityName'>

/**
 * A resident asks for a testing point (a `testing_point_request` ticket routed to the community);
 * neighbours can then support it. The shared schemas check it before sending.
 */
export default function PointRequestPage() {
  const session = useSession()
  const [place, setPlace] = useState('')
  const [reason, setReason] = useState('')
  const [people, setPeople] = useState('')
  const [where, setWhere] = useState<Place>({})
  const [errors, setErrors] = useState<Partial<Record<RequestField, string>>>({})
  const [busy, setBusy] = useState(false)
  const key = useRef(newIdempotencyKey())

  if (!session)
    return (
      <PageShell>
        <SignInCard reason='申请需要登录，批准后我们会通知您。' back={Routes.pointRequest} />
      </PageShell>
    )

  const input = () => ({
    details: { place: place.trim(), reason: reason.trim(), ...(people.trim() ? { peopleServed: Number(people) } : {}) },
    location: where.location,
    communityCode: where.location ? undefined : where.communityCode
  })
  const show = (issues: readonly PathIssue[]) => fieldErrorsFrom(issues, fieldOf, MESSAGES)

  async function handleSubmit() {
    if (busy) return
    const body = input()
    const found = show(schemaIssues(CreateTicketSchema, pointRequestTicket(body)).filter((i) => i.path !== 'description'))
    if (!body.location && !body.communityCode) found.location = MESSAGES.location('required')
    setErrors(found)
    if (Object.keys(found).length > 0) {
      scrollToFirstError()
      return
    }
    setBusy(true)
    try {
      const ticket = await testingPointsService.createRequest(body, key.current)
      void Taro.showToast({ title: '申请已提交', icon: 'success' })
      replacePage(Routes.ticket(ticket.id))
    } catch (err) {
      if (isApiError(err) && !err.isNetworkError && err.status < 500) key.current = newIdempotencyKey()
      const fieldErrors = isApiError(err) ? show(err.issues) : {}
      if (isApiError(err) && err.code === 'out_of_district') fieldErrors.location = MESSAGES.location('out_of_district')
      if (Object.keys(fieldErrors).length > 0) setErrors(fieldErrors)
      else void showError(err)
    } finally {
      setBusy(false)
    }
  }

  const draft: ReportDraft = { idempotencyKey: '', createdAt: '', description: '', photos: [], allowPublication: false, address: '', ...where }
  return (
    <PageShell className='point-request'>
      <View className='card'>
        <TextField
          name='place'
          label='希望设点的地方'
          required
          placeholder='如：绿地世纪城小区东门广场'
          maxlength={100}
          value={place}
          error={errors.place}
          onChange={(v) => {
            setPlace(v)
            setErrors((e) => ({ ...e, place: undefined }))
          }}
        />
        <Field name='location' label='所在位置' required error={errors.location}>
          <LocationField
            draft={draft}
            onChange={(patch) => {
              if (!('location' in patch) && !('communityCode' in patch)) return
              setWhere({ location: patch.location, locationLabel: patch.locationLabel, communityCode: patch.communityCode, communityName: patch.communityName })
              setErrors((e) => ({ ...e, location: undefined }))
            }}
            onError={(message) => setErrors((e) => ({ ...e, location: message }))}
          />
        </Field>
        <TextAreaField
          name='reason'
          label='申请理由'
          required
          placeholder='如：小区 3000 多户，最近的检测点要走 20 分钟，老人不方便'
          maxlength={500}
          value={reason}
          error={errors.reason}
          onChange={(v) => {
            setReason(v)
            setErrors((e) => ({ ...e, reason: undefined }))
          }}
        />
        <TextField
          name='peopleServed'
          label='大约服务人数（选填）'
          type='number'
          placeholder='如：3000'
          maxlength={7}
          value={people}
          error={errors.peopleServed}
          onChange={(v) => {
            setPeople(v)
            setErrors((e) => ({ ...e, peopleServed: undefined }))
          }}
        />
      </View>
      <ActionButton className='btn-block request-submit' busy={busy} busyText='正在提交…' onClick={() => void handleSubmit()}>
        提交申请
      </ActionButton>
      <View className='muted tip-foot'>申请会交给所在社区，卫健部门同步知晓。批准后您和支持的邻居都会收到通知。</View>
    </PageShell>
  )
}
