import { useState } from 'react'
import { View } from '@tarojs/components'
import { TicketLimits, TipoffLimits } from '@palm/shared'
import { Field } from '../../../components/field'
import { PageShell } from '../../../components/page-shell'
import { PhotoField } from '../../../components/photo-field'
import { StateView } from '../../../components/state-view'
import { ActionButton } from '../../../components/buttons'
import { SelectField, TextAreaField, TextField, scrollToFirstError } from '../../../components/fields'
import { SignInCard } from '../../../components/access-cards'
import { useResource } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import type { ReportDraft } from '../../../services/report-draft'
import { showError } from '../../../services/show-error'
import { hazardTipErrors, hazardTipToInput, tipoffsService, validateHazardTip, type HazardField, type HazardTipForm } from '../../../services/tipoffs.service'
import { Routes } from '../../../utils/routes'
import { LocationField } from '../../report/components/location-field'
import { AnonymousSwitch } from '../components/anonymous-switch'
import { usePhotos } from '../components/use-photos'
import { useTipSubmit } from '../components/use-tip-submit'
import '../fraud/index.scss'

type Place = Pick<ReportDraft, 'location' | 'locationLabel' | 'communityCode' | 'communityName'>

/**
 * 隐患举报 (self-built house, fire, gas, other): where it is (the phone's position or a community),
 * photos, and what is wrong. It goes to the grid worker for an on-site check; a self-built house
 * also to the housing bureau.
 */
export default function HazardTipPage() {
  const session = useSession()
  const cats = useResource(() => tipoffsService.categories('hazard_tip'), { reloadOnShow: false })
  const [form, setForm] = useState<Omit<HazardTipForm, 'location' | 'communityCode' | 'attachmentIds'>>({ place: '', building: '', description: '', anonymous: false })
  const [where, setWhere] = useState<Place>({})
  const [errors, setErrors] = useState<Partial<Record<HazardField, string>>>({})
  const photos = usePhotos()
  const sender = useTipSubmit((err) => {
    const found = hazardTipErrors(err.issues)
    if (err.code === 'out_of_district') found.location = '该位置不在平城区内，请重新定位或选择社区'
    setErrors(found)
    return Object.keys(found).length > 0
  })

  if (!session)
    return (
      <PageShell>
        <SignInCard reason='举报需要登录，以便您查看办理进度。选择匿名后，工作人员看不到您的身份。' back={Routes.hazardTip} />
      </PageShell>
    )
  const categories = cats.data
  if (!categories)
    return (
      <PageShell>
        <StateView loading={cats.loading} error={cats.error} onRetry={() => void cats.reload()} />
      </PageShell>
    )

  const set = (field: 'category' | 'place' | 'building' | 'description') => (value: string) => {
    setForm((f) => ({ ...f, [field]: value }))
    setErrors((e) => ({ ...e, [field]: undefined }))
  }
  const full = (attachmentIds: string[]): HazardTipForm => ({ ...form, location: where.location, communityCode: where.location ? undefined : where.communityCode, attachmentIds })
  // LocationField edits a report draft; only its place fields are read and written here.
  const locationDraft: ReportDraft = { idempotencyKey: '', createdAt: '', description: '', photos: [], allowPublication: false, address: form.place, ...where }

  async function handleSubmit() {
    const found = validateHazardTip(full([]))
    setErrors(found)
    if (Object.keys(found).length > 0) {
      scrollToFirstError()
      return
    }
    let attachmentIds: string[]
    try {
      attachmentIds = await photos.ensureUploaded()
    } catch (err) {
      void showError(err)
      return
    }
    await sender.submit(hazardTipToInput(full(attachmentIds)), Routes.hazardTip)
  }

  return (
    <PageShell className='tip-form hazard-tip'>
      <View className='notice'>发生火灾、燃气泄漏等紧急情况，请立即拨打 119 或 110。</View>
      <View className='card'>
        <SelectField
          name='category'
          label='隐患类型'
          required
          options={categories.map((c) => ({ value: c.code, label: c.name }))}
          value={form.category}
          placeholder='请选择隐患类型'
          error={errors.category}
          onChange={set('category')}
        />
        <Field name='location' label='隐患位置' required error={errors.location}>
          <LocationField
            draft={locationDraft}
            onChange={(patch) => {
              const { address, ...place } = patch
              if ('location' in patch || 'communityCode' in patch) setWhere((w) => ({ ...w, ...place }))
              if (address !== undefined && !form.place.trim()) set('place')(address)
              setErrors((e) => ({ ...e, location: undefined }))
            }}
            onError={(message) => setErrors((e) => ({ ...e, location: message }))}
          />
        </Field>
        <TextField name='place' label='具体地点' placeholder='如：永和小区 5 号楼北侧平房' maxlength={TipoffLimits.placeMax} value={form.place} error={errors.place} onChange={set('place')} />
        <TextField name='building' label='楼栋（选填）' placeholder='如：5 号楼' maxlength={100} value={form.building} error={errors.building} onChange={set('building')} />
        <TextAreaField
          name='description'
          label='隐患情况'
          required
          placeholder='看到了什么、存在什么危险、持续多久了'
          maxlength={TicketLimits.descriptionMax}
          value={form.description}
          error={errors.description}
          onChange={set('description')}
        />
        <Field name='photos' label={`现场照片（最多 ${TicketLimits.maxPhotos} 张）`} error={errors.photos}>
          <PhotoField photos={photos.photos} uploading={photos.uploading} onAdd={photos.add} onRemove={photos.remove} />
        </Field>
        <AnonymousSwitch checked={form.anonymous} onChange={(anonymous) => setForm((f) => ({ ...f, anonymous }))} />
      </View>
      <ActionButton className='btn-block tip-submit' busy={sender.submitting} busyText='正在提交…' onClick={() => void handleSubmit()}>
        提交举报
      </ActionButton>
      <View className='muted tip-foot'>网格员会到现场核查；自建房隐患同时转住建部门。您可以在“我的工单”查看进度。</View>
    </PageShell>
  )
}
