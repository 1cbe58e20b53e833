import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { ALERT_LEVELS, CreateAlertSchema, VolunteerLimits } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { ActionButton } from '../../../components/buttons'
import { SelectField, TextAreaField, TextField } from '../../../components/fields'
import { StaffOnly } from '../../../components/access-cards'
import { useAction, useResource } from '../../../hooks/use-resource'
import { isApiError } from '../../../services/api-error'
import { fieldByHead, fieldErrorsFrom, schemaIssues, type PathIssue } from '../../../services/form-errors'
import { volunteersService } from '../../../services/volunteers.service'
import { formatTime, ALERT_LEVEL_LABELS } from '../../../utils/format'
import { Routes } from '../../../utils/routes'
import { StaffRoles } from '../components/staff-scope'
import { showError } from '../../../services/show-error'

const FIELDS = ['title', 'body'] as const
const fieldOf = fieldByHead(FIELDS)
const MESSAGES = { title: `请填写标题（不超过 ${VolunteerLimits.alertTitleMax} 字）`, body: `请填写内容（不超过 ${VolunteerLimits.alertBodyMax} 字）` }

/** Publishing an anti-fraud alert to the residents' feed, with the latest alerts below. */
function AlertForm() {
  const [title, setTitle] = useState('')
  const [body, setBody] = useState('')
  const [level, setLevel] = useState<(typeof ALERT_LEVELS)[number]>('warning')
  const [errors, setErrors] = useState<Partial<Record<(typeof FIELDS)[number], string>>>({})
  const recent = useResource(() => volunteersService.alerts().then((p) => p.items.slice(0, 5)))
  const action = useAction()
  const show = (issues: readonly PathIssue[]) => fieldErrorsFrom(issues, fieldOf, MESSAGES)

  async function handlePublish() {
    const input = { title, body, level }
    const found = show(schemaIssues(CreateAlertSchema, input))
    setErrors(found)
    if (Object.keys(found).length > 0) return
    const ok = await Taro.showModal({ title: '发布预警', content: '发布后所有居民都能看到，确定发布吗？', confirmText: '发布' })
    if (!ok.confirm) return
    await action.run(async () => {
      try {
        await volunteersService.publishAlert(input)
        setTitle('')
        setBody('')
        void Taro.showToast({ title: '已发布', icon: 'success' })
        void recent.reload(true)
      } catch (err) {
        const fe = isApiError(err) ? show(err.issues) : {}
        if (Object.keys(fe).length > 0) setErrors(fe)
        else void showError(err)
      }
    })
  }

  return (
    <>
      <View className='card'>
        <TextField name='title' label='标题' required maxlength={VolunteerLimits.alertTitleMax} value={title} error={errors.title} onChange={setTitle} />
        <SelectField name='level' label='级别' options={ALERT_LEVELS.map((l) => ({ value: l, label: ALERT_LEVEL_LABELS[l] }))} value={level} onChange={setLevel} />
        <TextAreaField name='body' label='内容' required maxlength={VolunteerLimits.alertBodyMax} placeholder='骗局特征、识别方法、遇到时怎么办' value={body} error={errors.body} onChange={setBody} />
      </View>
      <ActionButton className='btn-block alert-publish' busy={action.busy} onClick={() => void handlePublish()}>
        发布
      </ActionButton>
      <View className='section-title'>最近发布</View>
      {(recent.data ?? []).map((a) => (
        <View key={a.id} className='card'>
          <Text className='list-card-title'>{`[${ALERT_LEVEL_LABELS[a.level]}] ${a.title}`}</Text>
          <View className='muted'>{`${a.publisher} · ${formatTime(a.publishedAt)}`}</View>
        </View>
      ))}
    </>
  )
}

export default function StaffAlertsPage() {
  return (
    <PageShell className='staff-alerts'>
      <StaffOnly roles={StaffRoles.alerts} back={Routes.staffAlerts}>
        <AlertForm />
      </StaffOnly>
    </PageShell>
  )
}
