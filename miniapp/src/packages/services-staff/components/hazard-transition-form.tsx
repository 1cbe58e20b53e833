import { useState } from 'react'
import { View } from '@tarojs/components'
import { HAZARD_TRANSITIONS, HazardTransitionSchema, RISK_LEVELS, type HazardEvent, type HazardView, type RiskLevel } from '@palm/shared'
import { ActionButton } from '../../../components/buttons'
import { Chips, DateTimeField, SelectField, TextAreaField, TextField } from '../../../components/fields'
import { useAction } from '../../../hooks/use-resource'
import { isApiError } from '../../../services/api-error'
import { hazardsService } from '../../../services/hazards.service'
import { fieldByHead, fieldErrorsFrom, schemaIssues, type PathIssue } from '../../../services/form-errors'
import { HAZARD_EVENT_LABELS, RISK_LABELS, beijingIso } from '../../../utils/format'
import { showError } from '../../../services/show-error'

const FIELDS = ['note', 'appraisal', 'appraisalOrg', 'rectificationPlan', 'rectificationDeadline'] as const
type TField = (typeof FIELDS)[number]
const fieldOf = fieldByHead(FIELDS)
const MESSAGES: Record<TField, string> = {
  note: '请说明处理情况',
  appraisal: '请填写鉴定结论',
  appraisalOrg: '鉴定机构不超过 100 字',
  rectificationPlan: '请填写整改方案',
  rectificationDeadline: '请选择整改期限'
}

/** The next step of a ledger entry (verify → appraise → rectify → close, or dismiss), with what each step needs. */
export function HazardTransitionForm({ hazard, onDone }: { hazard: HazardView; onDone: (h: HazardView) => void }) {
  const events = Object.keys(HAZARD_TRANSITIONS[hazard.status]) as HazardEvent[]
  const [event, setEvent] = useState<HazardEvent>(events[0] ?? 'verify')
  const [v, setV] = useState({ note: '', appraisal: '', appraisalOrg: '', rectificationPlan: '', deadline: '' })
  const [risk, setRisk] = useState<RiskLevel>(hazard.riskLevel)
  const [errors, setErrors] = useState<Partial<Record<TField, string>>>({})
  const action = useAction()
  if (events.length === 0) return null
  const set = (k: keyof typeof v) => (value: string) => setV((x) => ({ ...x, [k]: value }))
  const show = (issues: readonly PathIssue[]) => fieldErrorsFrom(issues, fieldOf, MESSAGES)

  async function handleSubmit() {
    const opt = (s: string) => (s.trim() ? s.trim() : undefined)
    const input = {
      event,
      ...(opt(v.note) ? { note: v.note.trim() } : {}),
      ...(risk !== hazard.riskLevel ? { riskLevel: risk } : {}),
      ...(event === 'appraise' ? { appraisal: opt(v.appraisal), appraisalOrg: opt(v.appraisalOrg) } : {}),
      ...(event === 'start_rectification' ? { rectificationPlan: opt(v.rectificationPlan), rectificationDeadline: v.deadline ? beijingIso(v.deadline, '23:59') : undefined } : {})
    }
    const found = show(schemaIssues(HazardTransitionSchema, input))
    setErrors(found)
    if (Object.keys(found).length > 0) return
    await action.run(async () => {
      try {
        onDone(await hazardsService.transition(hazard.id, HazardTransitionSchema.parse(input)))
        setV({ note: '', appraisal: '', appraisalOrg: '', rectificationPlan: '', deadline: '' })
      } catch (err) {
        const fe = isApiError(err) ? show(err.issues) : {}
        if (Object.keys(fe).length > 0) setErrors(fe)
        else void showError(err)
      }
    })
  }

  return (
    <View className='card hazard-transition'>
      <View className='card-title'>办理</View>
      <Chips
        options={events.map((e) => ({ value: e, label: HAZARD_EVENT_LABELS[e] }))}
        value={event}
        onChange={(e) => {
          setEvent(e)
          setErrors({})
        }}
        className='event-chips'
      />
      {event === 'verify' || event === 'appraise' ? (
        <SelectField name='riskLevel' label='风险等级' options={RISK_LEVELS.map((r) => ({ value: r, label: RISK_LABELS[r] }))} value={risk} onChange={setRisk} />
      ) : null}
      {event === 'appraise' ? (
        <>
          <TextAreaField name='appraisal' label='鉴定结论' required maxlength={2000} value={v.appraisal} error={errors.appraisal} onChange={set('appraisal')} />
          <TextField name='appraisalOrg' label='鉴定机构' maxlength={100} value={v.appraisalOrg} error={errors.appraisalOrg} onChange={set('appraisalOrg')} />
        </>
      ) : null}
      {event === 'start_rectification' ? (
        <>
          <TextAreaField name='rectificationPlan' label='整改方案' required maxlength={2000} value={v.rectificationPlan} error={errors.rectificationPlan} onChange={set('rectificationPlan')} />
          <DateTimeField name='rectificationDeadline' label='整改期限' required mode='date' value={v.deadline} error={errors.rectificationDeadline} onChange={set('deadline')} />
        </>
      ) : null}
      <TextAreaField
        name='note'
        label={event === 'close' || event === 'dismiss' ? '销账说明' : '备注（选填）'}
        required={event === 'close' || event === 'dismiss'}
        maxlength={2000}
        value={v.note}
        error={errors.note}
        onChange={set('note')}
      />
      <ActionButton className='btn-block hazard-submit' busy={action.busy} onClick={() => void handleSubmit()}>{`确认：${HAZARD_EVENT_LABELS[event]}`}</ActionButton>
    </View>
  )
}
