import { useState } from 'react'
import { View } from '@tarojs/components'
import { TipoffLimits } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { ActionButton } from '../../../components/buttons'
import { SelectField, TextAreaField, TextField, scrollToFirstError } from '../../../components/fields'
import { SignInCard } from '../../../components/access-cards'
import { useResource } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { emptyFraudTip, fraudTipErrors, fraudTipToInput, validateFraudTip, type FraudField, type FraudTipForm } from '../../../services/tipoffs.service'
import { tipoffsService } from '../../../services/tipoffs.service'
import { Routes } from '../../../utils/routes'
import { AnonymousSwitch } from '../components/anonymous-switch'
import { useTipSubmit } from '../components/use-tip-submit'
import './index.scss'

/**
 * 反诈举报: the leads the anti-fraud centre can act on (number, web address, account, app, amount,
 * what happened), checked with the shared schema before anything is sent; anonymous if wished.
 */
export default function FraudTipPage() {
  const session = useSession()
  const cats = useResource(() => tipoffsService.categories('fraud_tip'), { reloadOnShow: false })
  const [form, setForm] = useState<FraudTipForm>(emptyFraudTip)
  const [errors, setErrors] = useState<Partial<Record<FraudField, string>>>({})
  const sender = useTipSubmit((err) => {
    const found = fraudTipErrors(err.issues)
    setErrors(found)
    return Object.keys(found).length > 0
  })

  if (!session)
    return (
      <PageShell>
        <SignInCard reason='举报需要登录，以便您查看办理进度。选择匿名后，工作人员看不到您的身份。' back={Routes.fraudTip} />
      </PageShell>
    )
  const categories = cats.data
  if (!categories)
    return (
      <PageShell>
        <StateView loading={cats.loading} error={cats.error} onRetry={() => void cats.reload()} />
      </PageShell>
    )

  const set = (field: FraudField) => (value: string) => {
    setForm((f) => ({ ...f, [field]: value }))
    setErrors((e) => ({ ...e, [field]: undefined }))
  }

  function handleSubmit() {
    const found = validateFraudTip(form)
    setErrors(found)
    if (Object.keys(found).length > 0) {
      scrollToFirstError()
      return
    }
    void sender.submit(fraudTipToInput(form), Routes.fraudTip)
  }

  return (
    <PageShell className='tip-form fraud-tip'>
      <View className='notice'>如正在被骗或已转账，请立即拨打 110 或 96110 反诈专线。</View>
      <View className='card'>
        <SelectField
          name='category'
          label='诈骗类型'
          required
          options={categories.map((c) => ({ value: c.code, label: c.name }))}
          value={form.category}
          placeholder='请选择诈骗类型'
          error={errors.category}
          onChange={set('category')}
        />
        <TextField name='phone' label='对方电话' placeholder='如 138 0000 0000 或 010-12345678' type='text' maxlength={24} value={form.phone} error={errors.phone} onChange={set('phone')} />
        <TextField name='url' label='网址链接' placeholder='https://…' maxlength={TipoffLimits.urlMax} value={form.url} error={errors.url} onChange={set('url')} />
        <TextField
          name='paymentAccount'
          label='收款账户'
          placeholder='银行卡号、支付宝或微信账号'
          maxlength={TipoffLimits.accountMax + 10}
          value={form.paymentAccount}
          error={errors.paymentAccount}
          onChange={set('paymentAccount')}
        />
        <TextField name='appName' label='App 名称' placeholder='对方让您下载的 App' maxlength={TipoffLimits.appNameMax + 10} value={form.appName} error={errors.appName} onChange={set('appName')} />
        <TextField name='amountLost' label='损失金额（元）' type='digit' placeholder='没有损失可不填' maxlength={12} value={form.amountLost} error={errors.amountLost} onChange={set('amountLost')} />
        <TextAreaField
          name='whatHappened'
          label='发生了什么'
          required
          placeholder='对方怎么联系您、说了什么、让您做了什么'
          maxlength={TipoffLimits.textMax}
          value={form.whatHappened}
          error={errors.whatHappened}
          onChange={set('whatHappened')}
        />
        <AnonymousSwitch checked={form.anonymous} onChange={(anonymous) => setForm((f) => ({ ...f, anonymous }))} />
      </View>
      <ActionButton className='btn-block tip-submit' busy={sender.submitting} busyText='正在提交…' onClick={handleSubmit}>
        提交线索
      </ActionButton>
      <View className='muted tip-foot'>线索直接交给反诈中心，不经过网格。您可以在“我的工单”查看处理进度。</View>
    </PageShell>
  )
}
