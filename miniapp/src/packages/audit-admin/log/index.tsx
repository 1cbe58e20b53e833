import { useEffect, useRef, useState } from 'react'
import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { AuditAction } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { ListFooter, StateView } from '../../../components/state-view'
import { ActionButton } from '../../../components/buttons'
import { FormNotice, TextField } from '../../../components/fields'
import { StaffOnly } from '../../../components/access-cards'
import { usePagedList } from '../../../hooks/use-paged-list'
import { useAction } from '../../../hooks/use-resource'
import { auditService, type AuditFilter } from '../../../services/audit.service'
import { errorMessage } from '../../../services/show-error'
import { Routes } from '../../../utils/routes'
import { ChoiceGroup } from '../../../components/choice-group'
import { ACTION_CHOICES, describeEvent } from './audit-labels'
import '../../admin/components/admin.scss'
import './index.scss'

const DAY = /^\d{4}-\d{2}-\d{2}$/

/** "2026-12-01" → the start of that day in China time, as ISO; undefined for an empty or malformed day. */
function dayStart(day: string, plusDays = 0): string | undefined {
  if (!DAY.test(day)) return undefined
  const at = new Date(`${day}T00:00:00+08:00`)
  if (Number.isNaN(at.getTime())) return undefined
  return new Date(at.getTime() + plusDays * 86_400_000).toISOString()
}

function AuditLog() {
  const [actor, setActor] = useState('')
  const [object, setObject] = useState('')
  const [fromDay, setFromDay] = useState('')
  const [toDay, setToDay] = useState('')
  const [action, setAction] = useState<AuditAction | 'all'>('all')
  const [more, setMore] = useState(false)
  const [applied, setApplied] = useState<AuditFilter>({})
  const [problem, setProblem] = useState<string>()
  const exporting = useAction()
  const list = usePagedList((cursor) => auditService.list(applied, cursor), { reloadOnShow: true })
  const reloadLog = list.reload
  const first = useRef(true)
  useEffect(() => {
    if (first.current) first.current = false
    else void reloadLog()
  }, [applied, reloadLog])

  function apply(nextAction = action) {
    if ((fromDay && !DAY.test(fromDay)) || (toDay && !DAY.test(toDay))) return setProblem('日期请写成 2026-12-01 的样子')
    setProblem(undefined)
    setApplied({
      ...(actor.trim() ? { actor: actor.trim() } : {}),
      ...(object.trim() ? { object: object.trim() } : {}),
      ...(nextAction !== 'all' ? { action: nextAction } : {}),
      ...(fromDay ? { from: dayStart(fromDay) } : {}),
      ...(toDay ? { to: dayStart(toDay, 1) } : {})
    })
  }

  async function exportCsv() {
    await exporting.run(async () => {
      try {
        const name = await auditService.exportCsv(applied)
        void Taro.showToast({ title: `已导出 ${name}`, icon: 'none' })
      } catch (err) {
        setProblem(errorMessage(err))
      }
    })
  }

  return (
    <>
      <View className='card admin-toolbar audit-filters'>
        <View className='muted'>每次工作人员的办理、账号和配置变更、登录（含失败）以及查看居民个人信息都会记入审计日志，记录不可修改。</View>
        <FormNotice message={problem} />
        <ChoiceGroup
          name='audit-action'
          label='按操作筛选'
          options={ACTION_CHOICES}
          value={action}
          onChange={(v) => {
            setAction(v)
            apply(v)
          }}
        />
        {more ? (
          <>
            <TextField name='audit-actor' label='操作人 ID' value={actor} onChange={setActor} maxlength={64} placeholder='账号 ID，留空为全部' />
            <TextField name='audit-object' label='对象' value={object} onChange={setObject} maxlength={100} placeholder='例如 ticket 或 ticket:工单ID' />
            <TextField name='audit-from' label='开始日期' value={fromDay} onChange={setFromDay} maxlength={10} placeholder='2026-12-01' />
            <TextField name='audit-to' label='结束日期（含当天）' value={toDay} onChange={setToDay} maxlength={10} placeholder='2026-12-31' />
            <ActionButton className='audit-apply' onClick={() => apply()}>
              查询
            </ActionButton>
          </>
        ) : (
          <ActionButton kind='plain' className='audit-more-filters' onClick={() => setMore(true)}>
            更多筛选：操作人、对象、日期
          </ActionButton>
        )}
        <ActionButton kind='ghost' className='audit-export' busy={exporting.busy} busyText='导出中…' onClick={() => void exportCsv()}>
          导出 CSV（导出本身也会记录）
        </ActionButton>
      </View>
      <StateView
        loading={list.loading}
        error={list.items.length === 0 ? list.error : undefined}
        empty={!list.loading && !list.error && list.items.length === 0}
        emptyText='没有符合条件的记录'
        onRetry={() => void list.reload()}
      />
      {list.loading
        ? null
        : list.items.map((e) => {
            const d = describeEvent(e)
            return (
              <View key={e.seq} className='card audit-row' aria-label={`${d.title}，${d.who}，${d.what}`}>
                <View className='audit-row-title'>{`#${e.seq} ${d.title}`}</View>
                <View className='muted audit-line'>{`操作人：${d.who}`}</View>
                <View className='muted audit-line'>{`对象：${d.what}`}</View>
                {e.detail ? <View className='muted audit-detail'>{JSON.stringify(e.detail)}</View> : null}
              </View>
            )
          })}
      {list.hasMore && !list.loading ? (
        <ActionButton kind='plain' className='btn-block audit-more' onClick={() => void list.loadMore()}>
          {list.loadingMore ? '正在加载…' : '加载更多'}
        </ActionButton>
      ) : (
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
      )}
    </>
  )
}

/** 审计日志: the district centre reads, filters and exports the audit trail (docs/audit.md). */
export default function AuditLogPage() {
  return (
    <PageShell className='admin-page audit-log'>
      <StaffOnly roles={['district_admin']} back={Routes.auditLog}>
        <AuditLog />
      </StaffOnly>
    </PageShell>
  )
}
