import { useCallback, useEffect, useState } from 'react'
import { Button, Text, Textarea, View } from '@tarojs/components'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { RELEASED_TEXT_MAX_CHARS, type HeldPublicationView } from '@palm/shared'
import { namedInput, pressable } from '../../../components/a11y'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { privacyService } from '../../../services/privacy.service'
import { showError } from '../../../services/show-error'
import { formatTime } from '../../../utils/format'
import './index.scss'

const REASONS: Record<string, string> = {
  pii_unsure: '可能含有姓名、号码或地址，系统无法确定',
  review: '内容安全检测建议人工复核',
  no_openid: '无法进行内容安全检测'
}

/** One held item: the masked text (editable before release), 公开 and 不公开. */
function HeldItem(props: { item: HeldPublicationView; onDone: (ticketId: string) => void }) {
  const { item } = props
  const [text, setText] = useState(item.description)
  const [busy, setBusy] = useState(false)
  const decide = async (release: boolean) => {
    if (!release) {
      const answer = await Taro.showModal({ title: '不公开', content: `工单 ${item.number} 将不会出现在“回复公开”中。确定吗？` })
      if (!answer.confirm) return
    }
    setBusy(true)
    try {
      if (release) await privacyService.release(item.ticketId, text.trim() && text !== item.description ? text.trim() : undefined)
      else await privacyService.withhold(item.ticketId)
      void Taro.showToast({ title: release ? '已公开' : '已不公开', icon: 'none' })
      props.onDone(item.ticketId)
    } catch (err) {
      void showError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className='card review-item'>
      <View className='card-title'>
        {item.number} · {item.title}
      </View>
      <View className='muted review-reason'>
        {item.community?.name ?? ''} · 办结于 {formatTime(item.resolvedAt)} · {REASONS[item.reason ?? ''] ?? '需人工审核'}
      </View>
      <Textarea
        className='review-edit'
        {...namedInput(`工单 ${item.number} 的公开内容，可修改后公开`)}
        value={text}
        maxlength={RELEASED_TEXT_MAX_CHARS}
        autoHeight
        onInput={(e) => setText(e.detail.value)}
      />
      {item.reply ? (
        <View className='review-text'>
          <Text>回复：{item.reply}</Text>
        </View>
      ) : null}
      <View className='btn-row'>
        <Button className='btn review-withhold' aria-label={`不公开工单 ${item.number}`} disabled={busy || undefined} {...pressable(() => void decide(false))} onClick={() => void decide(false)}>
          不公开
        </Button>
        <Button
          className='btn btn-primary review-release'
          aria-label={`公开工单 ${item.number}`}
          disabled={busy || undefined}
          {...pressable(() => void decide(true))}
          onClick={() => void decide(true)}
        >
          公开
        </Button>
      </View>
    </View>
  )
}

/**
 * 公开审核 (community staff, street and district admins): board copies held because the masking was
 * not sure or the content check asked for a person. Edit the text to hide what is left, then 公开,
 * or 不公开 (docs/residents-data.md).
 */
export default function StaffReviewPage() {
  const [items, setItems] = useState<HeldPublicationView[]>([])
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<unknown>()
  const load = useCallback(async () => {
    setLoading(true)
    setError(undefined)
    try {
      setItems((await privacyService.heldItems()).items)
    } catch (err) {
      setError(err)
    } finally {
      setLoading(false)
      void Taro.stopPullDownRefresh()
    }
  }, [])
  useEffect(() => void load(), [load])
  usePullDownRefresh(() => void load())
  return (
    <PageShell className='staff-review'>
      <View className='card'>
        <View className='muted'>以下办结工单申请公开，但可能含有个人信息。请核对并修改后公开，或选择不公开。</View>
      </View>
      {loading || error || items.length === 0 ? (
        <StateView loading={loading} error={error} empty={!loading && !error && items.length === 0} emptyText='没有待审核的公开内容' onRetry={() => void load()} />
      ) : (
        items.map((item) => <HeldItem key={item.ticketId} item={item} onDone={(id) => setItems((list) => list.filter((i) => i.ticketId !== id))} />)
      )}
    </PageShell>
  )
}
