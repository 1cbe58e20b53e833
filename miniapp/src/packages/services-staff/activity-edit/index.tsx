import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { ACTIVITY_KINDS, CreateActivitySchema, UpdateActivitySchema, VolunteerLimits, type ActivityView } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { ActionButton } from '../../../components/buttons'
import { DateTimeField, SelectField, TextAreaField, TextField } from '../../../components/fields'
import { StaffOnly } from '../../../components/access-cards'
import { Tag } from '../../../components/facts'
import { useAction, useResource } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { isApiError } from '../../../services/api-error'
import { fieldByHead, fieldErrorsFrom, schemaIssues, type PathIssue } from '../../../services/form-errors'
import { volunteersService } from '../../../services/volunteers.service'
import { formatTime, ACTIVITY_KIND_LABELS, SIGNUP_STATUS_LABELS } from '../../../utils/format'
import { Routes } from '../../../utils/routes'
import { activityDraftOf, activityFieldsOf, type ActivityDraft } from '../components/activity-form'
import { StaffRoles } from '../components/staff-scope'
import '../components/staff.scss'
import { showError } from '../../../services/show-error'

const FIELDS = ['title', 'description', 'place', 'startsAt', 'endsAt', 'signupDeadline', 'capacity'] as const
type AField = (typeof FIELDS)[number]
const fieldOf = fieldByHead(FIELDS)
const MESSAGES: Record<AField, string> = {
  title: `请填写标题（不超过 ${VolunteerLimits.titleMax} 字）`,
  description: '说明不超过 2000 字',
  place: '请填写地点',
  startsAt: '开始时间须晚于现在',
  endsAt: '结束时间须晚于开始时间',
  signupDeadline: '报名截止须不晚于开始时间',
  capacity: '请填写名额（正整数）'
}

/** Loads the activity first, so the form's fields are filled once, when they are first drawn. */
function ActivityFormLoader({ id }: { id?: string }) {
  const existing = useResource(() => (id ? volunteersService.activity(id) : Promise.resolve(undefined)), { reloadOnShow: false })
  if (id && !existing.data) return <StateView loading={existing.loading} error={existing.error} onRetry={() => void existing.reload()} />
  return <ActivityForm id={id} activity={existing.data} onSaved={existing.setData} />
}

/** Create or edit an activity; for an existing one, the venue code to show volunteers and who signed up. */
function ActivityForm({ id, activity: a, onSaved }: { id?: string; activity?: ActivityView; onSaved: (saved: ActivityView) => void }) {
  const session = useSession()
  const signups = useResource(() => (id ? volunteersService.signups(id) : Promise.resolve([])))
  const [d, setD] = useState<ActivityDraft>(activityDraftOf(a))
  const [errors, setErrors] = useState<Partial<Record<AField, string>>>({})
  const action = useAction()
  const set = (k: keyof ActivityDraft) => (v: string) => setD((x) => ({ ...x, [k]: v }))
  const show = (issues: readonly PathIssue[]) => fieldErrorsFrom(issues, fieldOf, MESSAGES)
  const scope = session?.user.scope ?? {}

  async function save(extra: { cancelled?: boolean } = {}) {
    const fields = activityFieldsOf(d)
    const body = id ? { ...fields, ...extra } : { ...fields, ...(scope.communityCode ? { communityCode: scope.communityCode } : scope.streetCode ? { streetCode: scope.streetCode } : {}) }
    const found = show(schemaIssues(id ? UpdateActivitySchema : CreateActivitySchema, body))
    setErrors(found)
    if (Object.keys(found).length > 0) return
    await action.run(async () => {
      try {
        if (id) {
          const saved = await volunteersService.updateActivity(id, body)
          onSaved(saved)
          setD(activityDraftOf(saved))
        } else await volunteersService.createActivity(CreateActivitySchema.parse(body))
        void Taro.showToast({ title: '已保存', icon: 'success' })
        if (!id) void Taro.navigateBack()
      } catch (err) {
        const fe = isApiError(err) ? show(err.issues) : {}
        if (Object.keys(fe).length > 0) setErrors(fe)
        else void showError(err)
      }
    })
  }

  return (
    <>
      {a?.checkinCode && !a.cancelled ? (
        <View className='card checkin-card'>
          <View className='card-title'>现场签到码</View>
          <View className='big-code activity-code'>{a.checkinCode}</View>
          <View className='muted'>请在现场出示，志愿者在活动开始前 30 分钟至结束后 30 分钟内用它签到、签退。</View>
        </View>
      ) : null}
      {a?.cancelled ? <View className='notice'>该活动已取消，已通知报名的志愿者。</View> : null}
      <View className='card'>
        <TextField name='title' label='标题' required maxlength={VolunteerLimits.titleMax} value={d.title} error={errors.title} onChange={set('title')} />
        <SelectField name='kind' label='类型' options={ACTIVITY_KINDS.map((k) => ({ value: k, label: ACTIVITY_KIND_LABELS[k] }))} value={d.kind} onChange={(kind) => setD((x) => ({ ...x, kind }))} />
        <TextField name='place' label='地点' required maxlength={VolunteerLimits.placeMax} value={d.place} error={errors.place} onChange={set('place')} />
        <DateTimeField name='date' label='日期' mode='date' required value={d.date} error={errors.startsAt} onChange={set('date')} />
        <View className='period-row'>
          <DateTimeField name='start' label='开始' mode='time' value={d.start} onChange={set('start')} />
          <DateTimeField name='end' label='结束' mode='time' value={d.end} error={errors.endsAt} onChange={set('end')} />
        </View>
        <View className='period-row'>
          <DateTimeField name='deadlineDate' label='报名截止日期' mode='date' value={d.deadlineDate} error={errors.signupDeadline} onChange={set('deadlineDate')} />
          <DateTimeField name='deadlineTime' label='截止时间' mode='time' value={d.deadlineTime} onChange={set('deadlineTime')} />
        </View>
        <TextField name='capacity' label='名额' required type='number' maxlength={5} value={d.capacity} error={errors.capacity} onChange={set('capacity')} />
        <TextAreaField name='description' label='活动说明' maxlength={VolunteerLimits.descriptionMax} value={d.description} error={errors.description} onChange={set('description')} />
      </View>
      <ActionButton className='btn-block activity-save' busy={action.busy} onClick={() => void save()}>
        {id ? '保存修改' : '发布活动'}
      </ActionButton>
      {a && !a.cancelled ? (
        <ActionButton
          kind='plain'
          className='btn-block activity-cancel'
          busy={action.busy}
          onClick={() =>
            void Taro.showModal({ title: '取消活动', content: '取消后会通知所有报名的志愿者。', confirmText: '取消活动', cancelText: '不取消' }).then((r) =>
              r.confirm ? save({ cancelled: true }) : undefined
            )
          }
        >
          取消活动
        </ActionButton>
      ) : null}
      {id ? (
        <View className='card'>
          <View className='card-title'>{`报名名单（${a?.signedUp ?? 0}/${a?.capacity ?? 0}，候补 ${a?.waitlisted ?? 0}）`}</View>
          {(signups.data ?? [])
            .filter((s) => s.status !== 'cancelled')
            .map((s) => (
              <View key={s.id} className='row'>
                <Text>{s.volunteer?.name ?? '志愿者'}</Text>
                <View>
                  {s.checkinAt ? <Tag tone='ok'>{`签到 ${formatTime(s.checkinAt).split(' ')[1] ?? ''}`}</Tag> : null}
                  <Tag tone={s.status === 'confirmed' ? 'ok' : 'warn'}>{s.status === 'waitlisted' ? `候补 ${s.waitlistPosition ?? ''}` : SIGNUP_STATUS_LABELS[s.status]}</Tag>
                </View>
              </View>
            ))}
          {signups.data?.length === 0 ? <View className='muted'>还没有人报名</View> : null}
        </View>
      ) : null}
    </>
  )
}

export default function ActivityEditPage() {
  const { params } = useRouter()
  return (
    <PageShell className='staff-activity-edit'>
      <StaffOnly roles={StaffRoles.activities} back={Routes.staffActivities}>
        <ActivityFormLoader id={params.id} />
      </StaffOnly>
    </PageShell>
  )
}
