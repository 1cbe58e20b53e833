import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import { GRID_COUNTS_CSV_COLUMNS, PLACE_KIND_NAMES, type GridCountsInput, type GridEntryBlock, type GridEntryView, type GridProfileView } from '@palm/shared'
import { pressable } from '../../../components/a11y'
import { TextArea } from '../../../components/text-area'
import { PageShell } from '../../../components/page-shell'
import { ActionButton } from '../../../components/buttons'
import { FormNotice, TextField } from '../../../components/fields'
import { StaffOnly } from '../../../components/access-cards'
import { StateView } from '../../../components/state-view'
import { useAction, useResource } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { placesService } from '../../../services/places.service'
import { errorMessage } from '../../../services/show-error'
import { STATE_LABELS, formatTime } from '../../../utils/format'
import { openPage, Routes } from '../../../utils/routes'
import { useGridChoice } from '../components/grid-choice'
import '../components/grid.scss'

const STAFF = ['grid_worker', 'community_staff', 'street_admin', 'district_admin'] as const
const EDITORS: readonly string[] = ['community_staff', 'street_admin', 'district_admin']

const COUNT_FIELDS: Array<{ key: keyof GridCountsInput; label: string }> = [
  { key: 'residents', label: '常住人口' },
  { key: 'households', label: '户数' },
  { key: 'partyMembers', label: '党员' },
  { key: 'specialGroups', label: '特殊人群' },
  { key: 'lowIncome', label: '低保户' }
]

type CountsForm = Record<keyof GridCountsInput, string>

/** 人: the counts, and for community staff a form to change them or import a CSV. */
function PeopleBlock({ profile, canEdit, onSaved }: { profile: GridProfileView; canEdit: boolean; onSaved: () => void }) {
  const people = profile.people
  const [form, setForm] = useState<CountsForm>(() => Object.fromEntries(COUNT_FIELDS.map((f) => [f.key, people ? String(people[f.key]) : ''])) as CountsForm)
  const [csv, setCsv] = useState('')
  const [notice, setNotice] = useState<string>()
  const [editing, setEditing] = useState(false)
  const save = useAction()

  const submitCounts = () =>
    void save.run(async () => {
      setNotice(undefined)
      const values = Object.fromEntries(COUNT_FIELDS.map((f) => [f.key, /^\d+$/.test(form[f.key].trim()) ? Number(form[f.key].trim()) : form[f.key]])) as unknown as GridCountsInput
      try {
        await placesService.setCounts(profile.grid.code, values)
        setNotice('已保存')
        onSaved()
      } catch (err) {
        setNotice(`${errorMessage(err)}（人数须为 0 或正整数）`)
      }
    })
  const importCsv = () =>
    void save.run(async () => {
      setNotice(undefined)
      try {
        const result = await placesService.importCounts(csv)
        setNotice(`已导入 ${result.updated} 个网格`)
        setCsv('')
        onSaved()
      } catch (err) {
        setNotice(errorMessage(err))
      }
    })

  return (
    <View className='card profile-block block-people'>
      <View className='card-title'>人 · 人口概况</View>
      {people ? (
        <View className='count-grid'>
          {COUNT_FIELDS.map((f) => (
            <View key={f.key} className='count-cell'>
              <Text className='count-value'>{people[f.key]}</Text>
              <Text className='muted'>{f.label}</Text>
            </View>
          ))}
        </View>
      ) : (
        <View className='muted'>还没有录入人数。</View>
      )}
      {people ? <View className='muted'>更新于 {formatTime(people.updatedAt)}（只记人数，不记姓名）</View> : null}
      {canEdit && !editing ? (
        <ActionButton kind='ghost' className='edit-counts' onClick={() => setEditing(true)}>
          修改人数或导入表格
        </ActionButton>
      ) : null}
      {canEdit && editing ? (
        <>
          <FormNotice message={notice} />
          {COUNT_FIELDS.map((f) => (
            <TextField key={f.key} name={`count-${f.key}`} label={f.label} type='number' value={form[f.key]} onChange={(v) => setForm((x) => ({ ...x, [f.key]: v }))} />
          ))}
          <ActionButton className='save-counts' busy={save.busy} onClick={submitCounts}>
            保存人数
          </ActionButton>
          <View className='muted'>批量导入：粘贴表格（CSV），第一行为 {GRID_COUNTS_CSV_COLUMNS.join(',')}</View>
          <TextArea className='field-textarea csv-input' value={csv} placeholder={`${GRID_COUNTS_CSV_COLUMNS.join(',')}\n${profile.grid.code},1200,460,52,11,7`} label='CSV 内容' onChange={setCsv} />
          <ActionButton kind='ghost' className='import-csv' busy={save.busy} disabled={!csv.trim()} onClick={importCsv}>
            导入 CSV
          </ActionButton>
        </>
      ) : null}
    </View>
  )
}

const BLOCKS: Record<GridEntryBlock, { title: string; empty: string; nameLabel: string; extra: 'note' | 'contact' }> = {
  thing: { title: '物 · 设施', empty: '还没有登记设施。', nameLabel: '设施名称', extra: 'note' },
  situation: { title: '情 · 民情', empty: '还没有记录民情。', nameLabel: '民情事项', extra: 'note' },
  organisation: { title: '组织', empty: '还没有登记组织。', nameLabel: '组织名称', extra: 'contact' }
}

/** 物 / 情 / 组织: the lines of one block, and a short form to add one. */
function EntriesBlock({ grid, block, entries, onChanged }: { grid: string; block: GridEntryBlock; entries: GridEntryView[]; onChanged: () => void }) {
  const meta = BLOCKS[block]
  const [name, setName] = useState('')
  const [kind, setKind] = useState('')
  const [extra, setExtra] = useState('')
  const [notice, setNotice] = useState<string>()
  const save = useAction()
  const add = () =>
    void save.run(async () => {
      setNotice(undefined)
      if (!name.trim()) {
        setNotice(`请填写${meta.nameLabel}`)
        return
      }
      try {
        await placesService.addEntry(grid, { block, name: name.trim(), ...(kind.trim() ? { kind: kind.trim() } : {}), ...(extra.trim() ? { [meta.extra]: extra.trim() } : {}) })
        setName('')
        setKind('')
        setExtra('')
        onChanged()
      } catch (err) {
        setNotice(errorMessage(err))
      }
    })
  return (
    <View className={`card profile-block block-${block}`}>
      <View className='card-title'>{meta.title}</View>
      {entries.length === 0 ? <View className='muted'>{meta.empty}</View> : null}
      {entries.map((e) => (
        <View key={e.id} className='entry-row'>
          <View className='entry-text'>
            <Text>{e.name}</Text>
            <Text className='muted'>{[e.kind, e.contact, e.note].filter(Boolean).join(' · ')}</Text>
          </View>
        </View>
      ))}
      <FormNotice message={notice} />
      <TextField name={`${block}-name`} label={meta.nameLabel} value={name} maxlength={64} onChange={setName} />
      <TextField name={`${block}-kind`} label='类别' value={kind} maxlength={32} onChange={setKind} />
      <TextField name={`${block}-${meta.extra}`} label={meta.extra === 'contact' ? '联系方式' : '说明'} value={extra} maxlength={meta.extra === 'contact' ? 64 : 500} onChange={setExtra} />
      <ActionButton kind='ghost' className={`add-${block}`} busy={save.busy} onClick={add}>
        添加
      </ActionButton>
    </View>
  )
}

function Profile({ profile, canEdit, reload }: { profile: GridProfileView; canEdit: boolean; reload: () => void }) {
  const ev = profile.events
  return (
    <>
      <View className='card grid-head'>
        <Text className='grid-name'>{profile.grid.name}</Text>
        <View className='muted'>
          {profile.community.name} · 网格编号 {profile.grid.code}
          {profile.grid.synthetic ? ' · 演示数据' : ''}
        </View>
      </View>
      <PeopleBlock profile={profile} canEdit={canEdit} onSaved={reload} />
      <View className='card profile-block block-places'>
        <View className='card-title'>地 · 地点（{profile.places.length}）</View>
        {profile.places.map((p) => (
          <View key={p.id} className='entry-row'>
            <View className='entry-text'>
              <Text>{p.name}</Text>
              <Text className='muted'>
                {PLACE_KIND_NAMES[p.kind]} · {p.address ?? ''}
              </Text>
            </View>
          </View>
        ))}
        <View className='link-row' {...pressable(() => openPage(Routes.gridPlaces(profile.grid.code)), { role: 'link' })}>
          一码通：地点与二维码 ›
        </View>
      </View>
      <EntriesBlock grid={profile.grid.code} block='thing' entries={profile.things} onChanged={reload} />
      <EntriesBlock grid={profile.grid.code} block='situation' entries={profile.situations} onChanged={reload} />
      <View className='card profile-block block-events'>
        <View className='card-title'>事 · 工单</View>
        <View className='count-grid'>
          {[
            ['全部', ev.total],
            ['办理中', ev.open],
            ['已超时', ev.overdue],
            ['已办结', ev.resolved],
            ['按时办结率', ev.onTimeRate === null ? '—' : `${Math.round(ev.onTimeRate * 100)}%`]
          ].map(([label, value]) => (
            <View key={String(label)} className='count-cell'>
              <Text className='count-value'>{value}</Text>
              <Text className='muted'>{label}</Text>
            </View>
          ))}
        </View>
        {ev.byCategory.length ? <View className='muted'>主要问题：{ev.byCategory.map((c) => `${c.name} ${c.count}`).join('，')}</View> : null}
        {ev.recent.map((t) => (
          <View key={t.id} className='entry-row' {...pressable(() => openPage(Routes.staffTicket(t.id)), { role: 'link' })}>
            <View className='entry-text'>
              <Text>{t.number}</Text>
              <Text className='muted'>
                {STATE_LABELS[t.state as keyof typeof STATE_LABELS] ?? t.state} · {formatTime(t.submittedAt)}
              </Text>
            </View>
          </View>
        ))}
      </View>
      <EntriesBlock grid={profile.grid.code} block='organisation' entries={profile.organisations} onChanged={reload} />
    </>
  )
}

/** 网格档案: the six blocks of one grid (人、地、物、情、事、组织) for staff whose territory holds it. */
export default function GridProfilePage() {
  const session = useSession()
  const { grid, chooser } = useGridChoice()
  const profile = useResource(() => (grid ? placesService.profile(grid) : Promise.resolve(undefined)), { reloadOnShow: false, deps: [grid] })
  const canEdit = Boolean(session && EDITORS.includes(session.user.role))
  return (
    <PageShell className='grid-profile'>
      <StaffOnly roles={STAFF} back={Routes.gridProfile()}>
        {chooser}
        {profile.data ? (
          <Profile profile={profile.data} canEdit={canEdit} reload={() => void profile.reload(true)} />
        ) : (
          <StateView loading={Boolean(grid) && profile.loading} error={profile.error} onRetry={() => void profile.reload()} />
        )}
      </StaffOnly>
    </PageShell>
  )
}
