import { useEffect, useState } from 'react'
import { View, Text, Input, Switch, Button } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { TicketLimits, formatWorkingMinutes, type CategoryView } from '@palm/shared'
import { namedInput, namedSwitch } from '../../../components/a11y'
import { Field } from '../../../components/field'
import { OptionPicker } from '../../../components/option-picker'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { TextArea } from '../../../components/text-area'
import { getSession } from '../../../services/session'
import { showError } from '../../../services/show-error'
import { ticketsService } from '../../../services/tickets.service'
import { Routes, replacePage } from '../../../utils/routes'
import { LocationField } from '../components/location-field'
import { NearbyReports } from '../components/nearby-reports'
import { StaffFilingFields, filesForOthers, useStaffFilingDefault } from '../components/staff-filing'
import { useSession } from '../../../hooks/use-session'
import { PhotoField } from '../../../components/photo-field'
import { useReportForm, type SubmitOutcome } from './use-report-form'
import { placeBannerText, reportUrlWithScene, usePlacePrefill } from './use-place-prefill'
import './index.scss'

export default function ReportPage() {
  const form = useReportForm()
  const prefill = usePlacePrefill(form.update)
  const { draft, errors } = form
  const role = useSession()?.user.role
  useStaffFilingDefault(role, draft, form.update)
  // The form is drawn at once and the categories fill the picker when they come: the description
  // box, what most people start with, does not wait for a round trip (docs/performance.md).
  const [categories, setCategories] = useState<CategoryView[]>([])
  const [categoriesError, setCategoriesError] = useState<unknown>()
  const [categoriesLoading, setCategoriesLoading] = useState(true)

  function loadCategories() {
    setCategoriesLoading(true)
    setCategoriesError(undefined)
    ticketsService
      .listCategories('report')
      .then((list) => setCategories(list.filter((c) => c.active !== false)))
      .catch(setCategoriesError)
      .finally(() => setCategoriesLoading(false))
  }

  useEffect(() => {
    if (!getSession()) {
      replacePage(Routes.signIn(reportUrlWithScene()))
      return
    }
    loadCategories()
  }, [])

  const category = categories.find((c) => c.code === draft.category)

  async function handleOutcome(outcome: SubmitOutcome): Promise<void> {
    switch (outcome.kind) {
      case 'created':
        void Taro.showToast({ title: '提交成功', icon: 'success' })
        replacePage(Routes.ticket(outcome.ticket.id))
        return
      case 'invalid':
        void Taro.showToast({ title: '请检查标红的内容', icon: 'none' })
        return
      case 'offline':
        if (await showError(outcome.error, { retry: true })) await handleOutcome(await form.submit(false))
        return
      case 'sign_in_needed':
        void Taro.showToast({ title: '登录已过期，内容已保存', icon: 'none' })
        replacePage(Routes.signIn(Routes.report))
        return
      case 'refused':
        void showError(outcome.error)
        return
      case 'busy':
        return
    }
  }

  return (
    <PageShell className='report'>
      {form.offline ? (
        <View className='notice report-offline' role='alert'>
          <Text>网络不给力，提交没有完成。您填写的内容已保存在本机，可以稍后重试。</Text>
          <Button className='btn btn-primary report-retry' onClick={() => void form.submit(false).then(handleOutcome)}>
            重试提交
          </Button>
        </View>
      ) : null}
      {prefill.status === 'ok' ? (
        <View className='notice place-prefill' role='status'>
          {placeBannerText(prefill.place)}
        </View>
      ) : prefill.status === 'error' ? (
        <View className='notice place-prefill-error' role='alert'>
          {prefill.message}
        </View>
      ) : null}
      <View className='card'>
        {filesForOthers(role) ? <StaffFilingFields draft={draft} errors={errors} update={form.update} /> : null}
        <Field
          name='category'
          label='问题类别'
          required
          error={errors.category}
          hint={category ? `通常 ${formatWorkingMinutes(category.acceptWithin)}内签收，${formatWorkingMinutes(category.resolveWithin)}内办结` : undefined}
        >
          {categoriesError ? (
            <StateView error={categoriesError} onRetry={loadCategories} />
          ) : (
            <OptionPicker
              options={categories}
              index={categories.findIndex((c) => c.code === draft.category)}
              optionLabel={(c) => c.name}
              onPick={(i) => form.update({ category: categories[i]?.code }, 'category')}
              label='问题类别'
              placeholder={categoriesLoading ? '正在加载问题类别…' : '请选择问题类别'}
              className='category-picker'
              disabled={categoriesLoading}
            />
          )}
        </Field>

        <Field name='description' label='问题描述' required error={errors.description}>
          <TextArea
            className='field-textarea description-input'
            placeholder='请说明发生了什么、在哪里、持续多久了'
            label='问题描述'
            value={draft.description}
            onChange={(description) => form.update({ description }, 'description')}
          />
          <View className={`char-count${draft.description.length > TicketLimits.descriptionMax ? ' is-over' : ''}`}>
            {draft.description.length}/{TicketLimits.descriptionMax}
          </View>
        </Field>

        <Field name='photos' label={`现场照片（最多 ${TicketLimits.maxPhotos} 张）`} error={errors.photos}>
          <PhotoField photos={draft.photos} uploading={form.uploading} onAdd={form.addPhotos} onRemove={form.removePhoto} />
        </Field>

        <Field name='location' label='问题位置' required error={errors.location}>
          <LocationField draft={draft} onChange={(patch) => form.update(patch, 'location')} onError={(message) => form.setErrors((e) => ({ ...e, location: message }))} />
        </Field>

        <Field name='address' label='详细地址' error={errors.address} hint='如：永和小区 3 号楼 2 单元门口'>
          <Input
            className='field-input address-input'
            placeholder='楼栋、门牌或附近标志物（选填）'
            {...namedInput('详细地址')}
            value={draft.address}
            maxlength={TicketLimits.addressMax}
            onInput={(e) => form.update({ address: e.detail.value }, 'address')}
          />
        </Field>

        <View className='row publication-row'>
          <View className='publication-text'>
            <Text>同意公开办理结果</Text>
            <Text className='muted'>公开时隐去姓名、电话和详细地址</Text>
          </View>
          <Switch
            className='publication-switch'
            checked={draft.allowPublication}
            color='#c8102e'
            {...namedSwitch('同意公开办理结果')}
            onChange={(e) => form.update({ allowPublication: Boolean(e.detail.value) })}
          />
        </View>
      </View>

      {draft.location && draft.category ? (
        <NearbyReports lat={draft.location.lat} lng={draft.location.lng} coordSystem={draft.location.coordSystem} category={draft.category} categoryName={category?.name} />
      ) : null}

      <Button
        className={`btn btn-primary btn-block report-submit${form.submitting ? ' btn-disabled' : ''}`}
        disabled={form.submitting || undefined}
        onClick={() => void form.submit(true).then(handleOutcome)}
      >
        {form.submitting ? '正在提交…' : '提交'}
      </Button>
      <View className='muted report-foot'>提交后，问题会交给所在网格的网格员处理，您可以在“我的工单”查看进度。</View>
    </PageShell>
  )
}
