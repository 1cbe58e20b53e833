import { useState } from 'react'
import { View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { CreateHazardSchema, FromTicketHazardSchema, HAZARD_KINDS, HazardLimits, RISK_LEVELS, type HazardKind, type RiskLevel } from '@palm/shared'
import { CommunityPicker } from '../../../components/community-picker'
import { Field } from '../../../components/field'
import { PageShell } from '../../../components/page-shell'
import { ActionButton, SelectField, StaffOnly, TextAreaField, TextField } from '../../../components/service-ui'
import { useAction } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { isApiError } from '../../../services/api-error'
import { hazardsService } from '../../../services/hazards.service'
import { fieldByHead, fieldErrorsFrom, schemaIssues, type PathIssue } from '../../../services/service-forms'
import { showServiceError } from '../../../services/service-errors'
import { replacePage } from '../../../utils/routes'
import { HAZARD_KIND_LABELS, RISK_LABELS } from '../../../utils/service-format'
import { ServiceRoutes } from '../../../utils/service-routes'
import { PlacePicker, type Point } from '../components/place-picker'
import { StaffRoles } from '../components/staff-scope'

const FIELDS = ['place', 'building', 'kind', 'riskLevel', 'description', 'location', 'communityCode', 'note'] as const
type HField = (typeof FIELDS)[number]
const fieldOf = fieldByHead(FIELDS)
const MESSAGES: Record<HField, string> = {
  place: '请填写隐患地点', building: '楼栋不超过 100 字', kind: '请选择类型', riskLevel: '请选择风险等级', description: '情况说明不超过 2000 字',
  location: '位置有误，请重新选择', communityCode: '请选择所属社区', note: '说明不超过 2000 字'
}

/** A new ledger entry made on site, or (with `?ticketId=`) from a verified hazard tip. */
function HazardForm({ ticketId }: { ticketId?: string }) {
  const scope = useSession()?.user.scope ?? {}
  const [f, setF] = useState({ place: '', building: '', description: '', note: '' })
  const [kind, setKind] = useState<HazardKind>('self_built_house')
  const [risk, setRisk] = useState<RiskLevel>('medium')
  const [location, setLocation] = useState<Point>()
  const [communityCode, setCommunityCode] = useState<string | undefined>(scope.communityCode)
  const [errors, setErrors] = useState<Partial<Record<HField, string>>>({})
  const action = useAction()
  const set = (k: keyof typeof f) => (v: string) => setF((x) => ({ ...x, [k]: v }))
  const show = (issues: readonly PathIssue[]) => fieldErrorsFrom(issues, fieldOf, MESSAGES)
  const opt = (s: string) => (s.trim() ? s.trim() : undefined)

  async function handleSave() {
    const body = ticketId
      ? { riskLevel: risk, building: opt(f.building), note: opt(f.note) }
      : { place: f.place, building: opt(f.building), kind, riskLevel: risk, description: f.description, ...(location ? { location } : {}), ...(communityCode ? { communityCode } : {}) }
    const found = show(schemaIssues(ticketId ? FromTicketHazardSchema : CreateHazardSchema, body))
    setErrors(found)
    if (Object.keys(found).length > 0) return
    await action.run(async () => {
      try {
        const h = ticketId ? await hazardsService.fromTicket(ticketId, FromTicketHazardSchema.parse(body)) : await hazardsService.create(CreateHazardSchema.parse(body))
        void Taro.showToast({ title: '已登记', icon: 'success' })
        replacePage(ServiceRoutes.staffHazard(h.id))
      } catch (err) {
        const fe = isApiError(err) ? show(err.issues) : {}
        if (Object.keys(fe).length > 0) setErrors(fe)
        else void showServiceError(err)
      }
    })
  }

  return (
    <>
      {ticketId ? <View className='notice'>由居民举报工单入账：地点、类型和位置取自举报，请核实后确定风险等级。</View> : null}
      <View className='card'>
        {ticketId ? null : (
          <>
            <TextField name='place' label='地点' required maxlength={HazardLimits.placeMax} value={f.place} error={errors.place} onChange={set('place')} />
            <SelectField name='kind' label='类型' options={HAZARD_KINDS.map((k) => ({ value: k, label: HAZARD_KIND_LABELS[k] }))} value={kind} onChange={setKind} />
            <Field name='communityCode' label='所属社区（网格员可不选）' error={errors.communityCode}>
              <CommunityPicker depth='community' initial={{ streetCode: scope.streetCode, communityCode: scope.communityCode }} onChange={(p) => setCommunityCode(p?.community?.code)} />
            </Field>
            <Field name='location' label='位置（选填）' error={errors.location}>
              <PlacePicker value={location} communityCode={communityCode} onChange={(p) => setLocation(p)} />
            </Field>
            <TextAreaField name='description' label='情况说明' maxlength={HazardLimits.textMax} value={f.description} error={errors.description} onChange={set('description')} />
          </>
        )}
        <TextField name='building' label='楼栋（选填）' maxlength={HazardLimits.buildingMax} value={f.building} error={errors.building} onChange={set('building')} />
        <SelectField name='riskLevel' label='风险等级' options={RISK_LEVELS.map((r) => ({ value: r, label: RISK_LABELS[r] }))} value={risk} onChange={setRisk} />
        {ticketId ? <TextAreaField name='note' label='核查说明' maxlength={HazardLimits.textMax} value={f.note} error={errors.note} onChange={set('note')} /> : null}
      </View>
      <ActionButton className='btn-block hazard-save' busy={action.busy} onClick={() => void handleSave()}>登记入账</ActionButton>
    </>
  )
}

export default function HazardNewPage() {
  const { params } = useRouter()
  return (
    <PageShell className='staff-hazard-new'>
      <StaffOnly roles={StaffRoles.hazardWriters} back={ServiceRoutes.staffHazards}>
        <HazardForm ticketId={params.ticketId} />
      </StaffOnly>
    </PageShell>
  )
}
