import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Open311Limits, type Open311KeyCreatedView, type Open311KeyView } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { ActionButton } from '../../../components/buttons'
import { FormNotice, TextField } from '../../../components/fields'
import { StaffOnly } from '../../../components/access-cards'
import { Tag } from '../../../components/facts'
import { StateView } from '../../../components/state-view'
import { useAction, useResource } from '../../../hooks/use-resource'
import { open311AdminService } from '../../../services/open311-admin.service'
import { errorMessage } from '../../../services/show-error'
import { Routes } from '../../../utils/routes'
import './index.scss'

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '从未')

/** The key just made: shown once, with a copy button; gone when the admin leaves the page. */
function NewKey({ created, onDone }: { created: Open311KeyCreatedView; onDone: () => void }) {
  const copy = () => void Taro.setClipboardData({ data: created.key })
  return (
    <View className='card new-key' role='alert'>
      <View className='card-title'>{`「${created.item.name}」的密钥`}</View>
      <View className='muted'>密钥只显示这一次，服务器只保存它的摘要。请立即复制，交给对方保管。</View>
      <View className='key-shown' aria-label='新密钥'>
        {created.key}
      </View>
      <ActionButton className='copy-key' onClick={copy} label='复制密钥'>
        复制密钥
      </ActionButton>
      <ActionButton kind='ghost' className='key-done' onClick={onDone}>
        我已保存
      </ActionButton>
    </View>
  )
}

function KeyRow({ item, onRevoke, busy }: { item: Open311KeyView; onRevoke: (item: Open311KeyView) => void; busy: boolean }) {
  return (
    <View className='key-row'>
      <Text className='key-name'>{item.name}</Text>
      <Text className='muted'>{`${item.prefix}… · 创建于 ${when(item.createdAt)}`}</Text>
      <Text className='muted'>{`调用 ${item.requestCount} 次 · 提交 ${item.ticketCount} 件 · 最近使用 ${when(item.lastUsedAt)}`}</Text>
      {item.revokedAt ? (
        <Tag tone='danger'>{`已停用 ${when(item.revokedAt)}`}</Tag>
      ) : (
        <View className='key-actions'>
          <ActionButton kind='ghost' className='revoke-key' busy={busy} busyText='停用中…' onClick={() => onRevoke(item)}>
            {`停用「${item.name}」`}
          </ActionButton>
        </View>
      )}
    </View>
  )
}

function Keys() {
  const keys = useResource(() => open311AdminService.listKeys())
  const [name, setName] = useState('')
  const [created, setCreated] = useState<Open311KeyCreatedView>()
  const [problem, setProblem] = useState<string>()
  const creating = useAction()
  const revoking = useAction()

  async function create() {
    const trimmed = name.trim()
    if (!trimmed) return setProblem('请填写使用方名称，例如“市 12345 热线平台”')
    setProblem(undefined)
    await creating.run(async () => {
      try {
        const made = await open311AdminService.createKey({ name: trimmed })
        setCreated(made)
        setName('')
        await keys.reload(true)
      } catch (err) {
        setProblem(errorMessage(err))
      }
    })
  }

  async function revoke(item: Open311KeyView) {
    const answer = await Taro.showModal({ title: '停用密钥', content: `停用后「${item.name}」立即无法再提交或查询，且不能恢复。确定停用？`, confirmText: '停用' })
    if (!answer.confirm) return
    await revoking.run(async () => {
      try {
        await open311AdminService.revokeKey(item.id)
        await keys.reload(true)
      } catch (err) {
        setProblem(errorMessage(err))
      }
    })
  }

  const items = keys.data?.items ?? []
  return (
    <>
      {created ? <NewKey created={created} onDone={() => setCreated(undefined)} /> : null}
      <View className='card'>
        <View className='card-title'>新建密钥</View>
        <View className='muted'>第三方应用（如 12345 平台）凭密钥通过 Open311 提交随手拍和线索。</View>
        <FormNotice message={problem} />
        <TextField name='key-name' label='使用方名称' required value={name} onChange={setName} maxlength={Open311Limits.keyNameMax} placeholder='例如：市 12345 热线平台' />
        <ActionButton className='create-key' busy={creating.busy} busyText='创建中…' onClick={() => void create()}>
          创建密钥
        </ActionButton>
      </View>
      <View className='card'>
        <View className='card-title'>全部密钥</View>
        <StateView loading={keys.loading && !keys.data} error={keys.error} empty={!keys.loading && !keys.error && items.length === 0} emptyText='还没有密钥' onRetry={() => void keys.reload()} />
        {items.map((item) => (
          <KeyRow key={item.id} item={item} busy={revoking.busy} onRevoke={(k) => void revoke(k)} />
        ))}
      </View>
    </>
  )
}

/** Open311 密钥: the district centre makes, watches and revokes the keys of third-party apps. */
export default function Open311KeysPage() {
  return (
    <PageShell className='open311-keys'>
      <StaffOnly roles={['district_admin']} back={Routes.open311Keys}>
        <Keys />
      </StaffOnly>
    </PageShell>
  )
}
