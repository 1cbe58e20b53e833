import { useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { CreateHazardSchema, FromTicketHazardSchema, HAZARD_KINDS, HazardLimits, RISK_LEVELS, type HazardKind, type RiskLevel, type TicketView } from '@palm/shared'
import { StateView } from '../../../components/state-view'
import { newIdempotencyKey } from '../../../services/idempotency'
import { ticketsService } from '../../../services/tickets.service'
import { LEDGER_READY_STATES } from '../hazards/pending-tips'
import { CommunityPicker } from '../../../components/community-picker'
import { Field } from '../../../components/field'
import { PageShell } from '../../../components/page-shell'
import { ActionButton } from '../../../components/buttons'
import { FormNotice, SelectField, TextAreaField, TextField } from '../../../components/fields'
import { InfoRow } from '../../../components/facts'
import { StaffOnly } from '../../../components/access-cards'
import { useAction } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { isApiError } from '../../../services/api-error'
import { hazardsService } from '../../../services/hazards.service'
import { fieldByHead, fieldErrorsFrom, schemaIssues, type PathIssue } from '../../../services/form-errors'
import { Routes, openPage, replacePage } from '../../../utils/routes'
import { HAZARD_KIND_LABELS, RISK_LABELS } from '../../../utils/format'
import { PlacePicker, type Point } from '../components/place-picker'
import { StaffRoles } from '../components/staff-scope'
import { showError } from '../../../services/show-error'

const FIELDS = ['place', 'building', 'kind', 'riskLevel', 'description', 'location', 'communityCode', 'note'] as const
type HField = (typeof FIELDS)[number]
const fieldOf = fieldByHead(FIELDS)
const MESSAGES: Record<HField, string> = {
  place: '请填写隐患地点',
  building: '楼栋不超过 100 字',
  kind: '请选择类型',
  riskLevel: '请选择风险等级',
  description: '情况说明不超过 2000 字',
  location: '位置有误，请重新选择',
  communityCode: '请选择所属社区',
  note: '说明不超过 2000 字'
}

/** The tip's own words for place and building (details the resident filled in). */
function detail(ticket: TicketView | undefined, key: 'place' | 'building' | 'hazardKind'): string {
  const v = ticket?.details?.[key]
  return typeof v === 'string' ? v : ''
}

/**
 * A new ledger entry made on site, or (with `?ticketId=`) from a hazard tip: the tip is shown, its
 * building is carried into the form (the worker may correct it), and a tip not yet accepted is
 * accepted (签收) first, since the ledger takes only checked tips.
 */
function HazardForm({ ticketId, ticket }: { ticketId?: string; ticket?: TicketView }) {
  const scope = useSession()?.user.scope ?? {}
  const [f, setF] = useState({ place: '', building: detail(ticket, 'building'), description: '', note: '' })
  const [notice, setNotice] = useState<string>()
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
    setNotice(undefined)
    await action.run(async () => {
      try {
        if (ticketId && ticket && !LEDGER_READY_STATES.includes(ticket.state)) {
          await ticketsService.transition(ticketId, { event: 'accept' }, newIdempotencyKey())
        }
        const h = ticketId ? await hazardsService.fromTicket(ticketId, FromTicketHazardSchema.parse(body)) : await hazardsService.create(CreateHazardSchema.parse(body))
        void Taro.showToast({ title: '已登记', icon: 'success' })
        replacePage(Routes.staffHazard(h.id))
      } catch (err) {
        const fe = isApiError(err) ? show(err.issues) : {}
        if (Object.keys(fe).length > 0) setErrors(fe)
        else if (ticketId && isApiError(err) && err.status === 409 && err.code !== 'invalid_transition') setNotice('这条举报已经入账，请在隐患台账中查看。')
        else if (ticketId && isApiError(err) && err.code === 'invalid_transition') setNotice('这条举报还没有签收，或已不能入账：请先在工单中签收，再回来入账。')
        else void showError(err)
      }
    })
  }

  return (
    <>
      {ticketId ? <View className='notice'>由居民举报工单入账：地点、类型和位置取自举报，请核实后确定风险等级。</View> : null}
      <FormNotice message={notice} />
      {ticket ? (
        <View className='card source-tip'>
          <View className='card-title'>{`举报 ${ticket.number}`}</View>
          <InfoRow label='地点'>{detail(ticket, 'place') || ticket.address || '（见举报工单）'}</InfoRow>
          {detail(ticket, 'building') ? <InfoRow label='楼栋'>{detail(ticket, 'building')}</InfoRow> : null}
          <InfoRow label='情况'>{ticket.description}</InfoRow>
          {LEDGER_READY_STATES.includes(ticket.state) ? null : <Text className='muted'>这条举报尚未签收：点“签收并入账”会先签收，再登记入账。</Text>}
        </View>
      ) : null}
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
      <ActionButton className='btn-block hazard-save' busy={action.busy} onClick={() => void handleSave()}>
        {ticket && !LEDGER_READY_STATES.includes(ticket.state) ? '签收并入账' : '登记入账'}
      </ActionButton>
      {notice && ticketId ? (
        <ActionButton kind='ghost' className='btn-block hazard-open-ticket' onClick={() => openPage(Routes.staffTicket(ticketId))}>
          查看举报工单
        </ActionButton>
      ) : null}
    </>
  )
}

/** With `?ticketId=`, the tip is loaded first, so its place and building show and the building is kept. */
function FromTicket({ ticketId }: { ticketId: string }) {
  const [ticket, setTicket] = useState<TicketView>()
  const [error, setError] = useState<unknown>()
  function load() {
    setError(undefined)
    ticketsService.get(ticketId).then(setTicket).catch(setError)
  }
  useEffect(load, [ticketId])
  if (!ticket) return <StateView loading={!error} error={error} onRetry={load} />
  return <HazardForm ticketId={ticketId} ticket={ticket} />
}

export default function HazardNewPage() {
  const { params } = useRouter()
  return (
    <PageShell className='staff-hazard-new'>
      <StaffOnly roles={StaffRoles.hazardWriters} back={Routes.staffHazards}>
        {params.ticketId ? <FromTicket ticketId={params.ticketId} /> : <HazardForm />}
      </StaffOnly>
    </PageShell>
  )
}
