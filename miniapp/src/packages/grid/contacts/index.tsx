import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import { CommunityOfficeSchema, SUPERVISOR_ROLES, WorkerCardSchema, type CommunityContactsView } from '@palm/shared'
import { ActionButton } from '../../../components/buttons'
import { CommunityPicker } from '../../../components/community-picker'
import { Field } from '../../../components/field'
import { FormNotice, TextField } from '../../../components/fields'
import { StaffOnly } from '../../../components/access-cards'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { useAction, useResource } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { fieldByHead, fieldErrorsFrom, schemaIssues } from '../../../services/form-errors'
import { placesService } from '../../../services/places.service'
import { errorMessage } from '../../../services/show-error'
import { Routes } from '../../../utils/routes'
import '../components/grid.scss'

/*
 * 网格联系方式: the numbers residents call from 我的网格 — the community office and each grid
 * worker's public work number (docs/places-and-grids.md). Private phones are never shown or asked.
 */
const OFFICE_FIELDS = ['name', 'address', 'phone', 'hours'] as const
type OfficeField = (typeof OFFICE_FIELDS)[number]
const officeFieldOf = fieldByHead(OFFICE_FIELDS)
const OFFICE_MESSAGES: Record<OfficeField, string> = {
  name: '请填写名称（不超过 64 字）',
  address: '地址不超过 120 字',
  phone: '请填写座机或工作电话，只用数字和“-”，如 0352-5551234',
  hours: '办公时间不超过 64 字'
}
const PHONE_HINT = '只用数字和“-”，如 0352-5551234'

const optional = (s: string) => (s.trim() ? s.trim() : undefined)

function OfficeCard({ communityCode, office }: { communityCode: string; office: CommunityContactsView['office'] }) {
  const [form, setForm] = useState({ name: office?.name ?? '', address: office?.address ?? '', phone: office?.phone ?? '', hours: office?.hours ?? '' })
  const [errors, setErrors] = useState<Partial<Record<OfficeField, string>>>({})
  const [notice, setNotice] = useState<string>()
  const save = useAction()
  const set = (k: OfficeField) => (v: string) => setForm((f) => ({ ...f, [k]: v }))

  const submit = () =>
    void save.run(async () => {
      const body = { name: form.name.trim(), address: optional(form.address), phone: optional(form.phone), hours: optional(form.hours) }
      const found = fieldErrorsFrom(schemaIssues(CommunityOfficeSchema, body), officeFieldOf, OFFICE_MESSAGES)
      setErrors(found)
      setNotice(undefined)
      if (Object.keys(found).length > 0) return
      try {
        await placesService.setOffice(communityCode, body)
        setNotice('已保存，居民在“我的网格”里看到的是新的信息')
      } catch (err) {
        setNotice(errorMessage(err))
      }
    })

  return (
    <View className='card contacts-office'>
      <View className='card-title'>社区办公室</View>
      <FormNotice message={notice} className='office-notice' />
      <TextField name='office-name' label='名称' required maxlength={64} value={form.name} error={errors.name} onChange={set('name')} />
      <TextField name='office-address' label='地址' maxlength={120} value={form.address} error={errors.address} onChange={set('address')} />
      <TextField name='office-phone' label='社区电话' hint={PHONE_HINT} maxlength={20} value={form.phone} error={errors.phone} onChange={set('phone')} />
      <TextField name='office-hours' label='办公时间' placeholder='如 工作日 9:00–18:00' maxlength={64} value={form.hours} error={errors.hours} onChange={set('hours')} />
      <ActionButton className='btn-block office-save' busy={save.busy} busyText='正在保存…' onClick={submit}>
        保存社区信息
      </ActionButton>
    </View>
  )
}

function WorkerRow({ worker }: { worker: CommunityContactsView['workers'][number] }) {
  const [phone, setPhone] = useState(worker.workPhone ?? '')
  const [error, setError] = useState<string>()
  const [saved, setSaved] = useState<string>()
  const save = useAction()
  const submit = () =>
    void save.run(async () => {
      const body = { workPhone: optional(phone) ?? null }
      setSaved(undefined)
      if (!WorkerCardSchema.safeParse(body).success) return setError(`请填写工作电话，${PHONE_HINT}；留空则显示社区电话`)
      setError(undefined)
      try {
        await placesService.setWorkerCard(worker.id, body)
        setSaved(body.workPhone ? '已保存' : '已清除，居民将看到社区电话')
      } catch (err) {
        setError(errorMessage(err))
      }
    })
  return (
    <View className='contacts-worker' data-worker-id={worker.id}>
      <Text className='contacts-worker-name'>{worker.displayName}</Text>
      {worker.grid ? <Text className='muted'>{` · ${worker.grid.name}`}</Text> : null}
      <TextField
        name={`work-phone-${worker.id}`}
        label={`${worker.displayName}的工作电话`}
        hint='留空则显示社区电话'
        maxlength={20}
        value={phone}
        error={error}
        onChange={setPhone}
        onSubmit={submit}
      />
      {saved ? (
        <View className='muted contacts-worker-saved' role='status'>
          {saved}
        </View>
      ) : null}
      <ActionButton className='btn-ghost worker-save' kind='plain' label={`保存${worker.displayName}的工作电话`} busy={save.busy} busyText='正在保存…' onClick={submit}>
        保存
      </ActionButton>
    </View>
  )
}

/** Loads the community's contacts first, so each form starts from what residents see now. */
function Contacts({ communityCode }: { communityCode: string }) {
  const contacts = useResource(() => placesService.contacts(communityCode), { reloadOnShow: false })
  if (!contacts.data) return <StateView loading={contacts.loading} error={contacts.error} onRetry={() => void contacts.reload()} />
  const { office, workers } = contacts.data
  return (
    <>
      <View className='notice'>居民在“我的网格”里看到这里的社区电话和网格员的工作电话；网格员没有工作电话时显示社区电话。个人手机号从不显示。</View>
      <OfficeCard communityCode={communityCode} office={office} />
      <View className='card contacts-workers'>
        <View className='card-title'>网格员工作电话</View>
        {workers.length === 0 ? <View className='muted'>这个社区还没有网格员账号</View> : workers.map((w) => <WorkerRow key={w.id} worker={w} />)}
      </View>
    </>
  )
}

function CommunityChoice() {
  const session = useSession()
  const own = session?.user.scope.communityCode
  const [communityCode, setCommunityCode] = useState<string | undefined>(own)
  return (
    <>
      {own ? null : (
        <View className='card'>
          <Field name='communityCode' label='社区'>
            <CommunityPicker depth='community' initial={{ streetCode: session?.user.scope.streetCode }} onChange={(pick) => setCommunityCode(pick?.community?.code)} />
          </Field>
        </View>
      )}
      {communityCode ? <Contacts key={communityCode} communityCode={communityCode} /> : <StateView empty emptyText='请先选择社区' />}
    </>
  )
}

export default function GridContactsPage() {
  return (
    <PageShell className='grid-contacts'>
      <StaffOnly roles={SUPERVISOR_ROLES} back={Routes.adminHub}>
        <CommunityChoice />
      </StaffOnly>
    </PageShell>
  )
}
