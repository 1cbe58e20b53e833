import { useState } from 'react'
import { View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { CreateStationSchema, LegalLimits, STATION_KINDS, STATION_LEVELS, UpdateStationSchema, type StationKind, type StationLevel, type StationView } from '@palm/shared'
import { CommunityPicker } from '../../../components/community-picker'
import { Field } from '../../../components/field'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { ActionButton } from '../../../components/buttons'
import { SelectField, TextField } from '../../../components/fields'
import { StaffOnly } from '../../../components/access-cards'
import { useAction, useResource } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { isApiError } from '../../../services/api-error'
import { legalService } from '../../../services/legal.service'
import { fieldByHead, fieldErrorsFrom, schemaIssues, type PathIssue } from '../../../services/form-errors'
import { STATION_KIND_LABELS, STATION_LEVEL_LABELS } from '../../../utils/format'
import { Routes } from '../../../utils/routes'
import { StaffRoles } from '../components/staff-scope'
import { showError } from '../../../services/show-error'

const FIELDS = ['name', 'level', 'kind', 'address', 'phone', 'topics', 'communityCode', 'streetCode', 'minLeadMinutes', 'cancelCutoffMinutes'] as const
type StationField = (typeof FIELDS)[number]
const fieldOf = fieldByHead(FIELDS)
const MESSAGES: Record<StationField, string> = {
  name: '请填写名称',
  level: '请选择级别',
  kind: '请选择类型',
  address: '请填写地址',
  phone: '电话不超过 32 个字符',
  topics: `擅长事项最多 ${LegalLimits.maxTopics} 项`,
  communityCode: '社区服务室需选择所属社区',
  streetCode: '街道服务站需选择所属街道',
  minLeadMinutes: '请填写 0–10080 之间的整数（分钟）',
  cancelCutoffMinutes: '请填写 0–10080 之间的整数（分钟）'
}
const splitTopics = (s: string) =>
  s
    .split(/[,，、\s]+/)
    .map((t) => t.trim())
    .filter(Boolean)

/** Loads the station first, so the form's fields are filled once, when they are first drawn. */
function StationFormLoader({ id }: { id?: string }) {
  const existing = useResource(() => (id ? legalService.station(id) : Promise.resolve(undefined)), { reloadOnShow: false })
  if (id && !existing.data) return <StateView loading={existing.loading} error={existing.error} onRetry={() => void existing.reload()} />
  return <StationForm id={id} existing={existing.data} />
}

/** A station's settings: topics, lead time and cut-off (per station), phone, active; or a new station. */
function StationForm({ id, existing }: { id?: string; existing?: StationView }) {
  const session = useSession()
  const [f, setF] = useState(
    existing
      ? {
          name: existing.name,
          address: existing.address,
          phone: existing.phone ?? '',
          topics: existing.topics.join('、'),
          lead: String(existing.minLeadMinutes),
          cutoff: String(existing.cancelCutoffMinutes)
        }
      : { name: '', address: '', phone: '', topics: '', lead: '120', cutoff: '120' }
  )
  const [level, setLevel] = useState<StationLevel>(session?.user.scope.communityCode ? 'community' : 'street')
  const [kind, setKind] = useState<StationKind>(session?.user.scope.communityCode ? 'legal_service_room' : 'legal_service_station')
  const [place, setPlace] = useState<{ streetCode?: string; communityCode?: string }>({ streetCode: session?.user.scope.streetCode, communityCode: session?.user.scope.communityCode })
  const [active, setActive] = useState(existing?.active ?? true)
  const [errors, setErrors] = useState<Partial<Record<StationField, string>>>({})
  const action = useAction()
  const set = (k: keyof typeof f) => (v: string) => setF((x) => ({ ...x, [k]: v }))
  const show = (issues: readonly PathIssue[]) => fieldErrorsFrom(issues, fieldOf, MESSAGES)

  async function handleSave() {
    const common = {
      name: f.name,
      address: f.address,
      topics: splitTopics(f.topics),
      minLeadMinutes: Number(f.lead),
      cancelCutoffMinutes: Number(f.cutoff),
      ...(f.phone.trim() ? { phone: f.phone.trim() } : {})
    }
    const body = id
      ? { ...common, active }
      : { ...common, level, kind, ...(place.streetCode ? { streetCode: place.streetCode } : {}), ...(level === 'community' && place.communityCode ? { communityCode: place.communityCode } : {}) }
    const found = show(schemaIssues(id ? UpdateStationSchema : CreateStationSchema, body))
    setErrors(found)
    if (Object.keys(found).length > 0) return
    await action.run(async () => {
      try {
        if (id) await legalService.updateStation(id, body)
        else await legalService.createStation(CreateStationSchema.parse(body))
        void Taro.showToast({ title: '已保存', icon: 'success' })
        void Taro.navigateBack()
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
        <TextField name='name' label='名称' required maxlength={LegalLimits.nameMax} value={f.name} error={errors.name} onChange={set('name')} />
        {id ? null : (
          <>
            <SelectField name='level' label='级别' options={STATION_LEVELS.map((l) => ({ value: l, label: STATION_LEVEL_LABELS[l] }))} value={level} onChange={setLevel} error={errors.level} />
            <SelectField name='kind' label='类型' options={STATION_KINDS.map((k) => ({ value: k, label: STATION_KIND_LABELS[k] }))} value={kind} onChange={setKind} error={errors.kind} />
            {level === 'community' || level === 'street' ? (
              <Field name='communityCode' label={level === 'community' ? '所属社区' : '所属街道'} required error={errors.communityCode ?? errors.streetCode}>
                <CommunityPicker
                  depth='community'
                  initial={{ streetCode: place.streetCode, communityCode: place.communityCode }}
                  onChange={(p) => setPlace({ streetCode: p?.street.code, communityCode: p?.community?.code })}
                />
              </Field>
            ) : null}
          </>
        )}
        <TextField name='address' label='地址' required maxlength={LegalLimits.addressMax} value={f.address} error={errors.address} onChange={set('address')} />
        <TextField name='phone' label='电话（选填）' maxlength={32} value={f.phone} error={errors.phone} onChange={set('phone')} />
        <TextField name='topics' label='擅长事项' placeholder='如：劳动争议、婚姻家庭，用顿号分隔' maxlength={400} value={f.topics} error={errors.topics} onChange={set('topics')} />
        <TextField name='minLeadMinutes' label='至少提前预约（分钟）' type='number' maxlength={5} value={f.lead} error={errors.minLeadMinutes} onChange={set('lead')} />
        <TextField name='cancelCutoffMinutes' label='开始前多久停止取消/改约（分钟）' type='number' maxlength={5} value={f.cutoff} error={errors.cancelCutoffMinutes} onChange={set('cutoff')} />
        {id ? (
          <SelectField
            name='active'
            label='状态'
            options={[
              { value: 'on', label: '开放预约' },
              { value: 'off', label: '停用' }
            ]}
            value={active ? 'on' : 'off'}
            onChange={(v) => setActive(v === 'on')}
          />
        ) : null}
      </View>
      <ActionButton className='btn-block station-save' busy={action.busy} onClick={() => void handleSave()}>
        保存
      </ActionButton>
    </>
  )
}

export default function StationEditPage() {
  const { params } = useRouter()
  return (
    <PageShell className='staff-station-edit'>
      <StaffOnly roles={StaffRoles.stations} back={Routes.staffStations}>
        <StationFormLoader id={params.id} />
      </StaffOnly>
    </PageShell>
  )
}
