import { useEffect, useRef, useState } from 'react'
import { View, Text, Input } from '@tarojs/components'
import { SUPERVISOR_ROLES, type StaffRole } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { ListFooter, StateView } from '../../../components/state-view'
import { namedInput, pressable } from '../../../components/a11y'
import { StaffOnly } from '../../../components/access-cards'
import { ChoiceGroup } from '../../../components/choice-group'
import { usePagedList } from '../../../hooks/use-paged-list'
import { useSession } from '../../../hooks/use-session'
import { accountsService, type AccountFilter } from '../../../services/accounts.service'
import { Routes, openPage } from '../../../utils/routes'
import { STAFF_ROLE_LABELS, creatableRoles, managesAccounts } from '../components/admin-roles'
import { AccountTags, scopeText } from '../components/account-tags'
import { TerritoryFilter, type TerritoryFilterValue } from '../components/territory-filter'
import '../components/admin.scss'
import { ActionButton } from '../../../components/buttons'

type StatusChoice = 'all' | 'active' | 'disabled'
const STATUS_OPTIONS = [
  { value: 'all' as const, label: '全部状态' },
  { value: 'active' as const, label: '正常' },
  { value: 'disabled' as const, label: '已停用' }
]

function AccountList() {
  const session = useSession()
  const role = session?.user.role
  const scope = session?.user.scope ?? {}
  const roles: StaffRole[] = role === 'community_staff' ? ['grid_worker'] : role === 'street_admin' ? ['community_staff', 'grid_worker'] : creatableRoles(role)
  const [query, setQuery] = useState('')
  const [q, setQ] = useState('')
  const [roleFilter, setRoleFilter] = useState<StaffRole | 'all'>('all')
  const [status, setStatus] = useState<StatusChoice>('all')
  const [territory, setTerritory] = useState<TerritoryFilterValue>({})
  const filter: AccountFilter = {
    ...(q ? { q } : {}),
    ...(roleFilter !== 'all' ? { role: roleFilter } : {}),
    ...(status !== 'all' ? { disabled: status === 'disabled' } : {}),
    ...territory
  }
  const list = usePagedList((cursor) => accountsService.list(filter, cursor), { reloadOnShow: true })
  const reloadAccounts = list.reload
  const firstFilter = useRef(true)
  useEffect(() => {
    if (firstFilter.current) firstFilter.current = false
    else void reloadAccounts()
  }, [q, roleFilter, status, territory.streetCode, territory.communityCode, reloadAccounts])

  const search = () => setQ(query.trim())
  const roleOptions = [{ value: 'all' as const, label: '全部角色' }, ...roles.map((r) => ({ value: r, label: STAFF_ROLE_LABELS[r] }))]

  return (
    <>
      <View className='card admin-toolbar'>
        <View className='admin-search'>
          <Input
            className='field-input input-search'
            value={query}
            placeholder='用户名或姓名'
            confirmType='search'
            maxlength={64}
            {...namedInput('搜索账号')}
            onInput={(e) => setQuery(e.detail.value)}
            onConfirm={search}
          />
          <ActionButton kind='ghost' className='account-search' onClick={search}>
            搜索
          </ActionButton>
        </View>
        {roles.length > 1 ? <ChoiceGroup name='filter-role' label='按角色筛选' hideLabel options={roleOptions} value={roleFilter} onChange={setRoleFilter} /> : null}
        <ChoiceGroup name='filter-status' label='按状态筛选' hideLabel options={STATUS_OPTIONS} value={status} onChange={setStatus} />
        <TerritoryFilter scope={scope} value={territory} onChange={setTerritory} />
        {managesAccounts(role) ? (
          <ActionButton className='btn-block account-new' onClick={() => openPage(Routes.adminAccount())}>
            新建账号
          </ActionButton>
        ) : (
          <View className='muted'>社区工作人员可查看本社区网格员的账号；新建和修改请联系街道综治中心。</View>
        )}
      </View>
      <StateView
        loading={list.loading}
        error={list.items.length === 0 ? list.error : undefined}
        empty={!list.loading && !list.error && list.items.length === 0}
        emptyText={q || roleFilter !== 'all' || status !== 'all' || territory.streetCode ? '没有符合条件的账号' : '还没有账号'}
        onRetry={() => void list.reload()}
      />
      {list.loading
        ? null
        : list.items.map((a) => (
            <View key={a.id} className='card account-card' {...pressable(() => openPage(Routes.adminAccount(a.id)), { role: 'link' })} onClick={() => openPage(Routes.adminAccount(a.id))}>
              <View className='account-card-text'>
                <Text className='account-card-title'>{`${a.displayName} · ${a.username}`}</Text>
                <Text className='muted'>{scopeText(a)}</Text>
                <AccountTags a={a} />
              </View>
              <Text className='muted' aria-hidden='true'>
                ›
              </Text>
            </View>
          ))}
      {list.hasMore && !list.loading ? (
        <ActionButton kind='plain' className='btn-block accounts-more' onClick={() => void list.loadMore()}>
          {list.loadingMore ? '正在加载…' : '加载更多'}
        </ActionButton>
      ) : (
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
      )}
    </>
  )
}

/** 账号管理: staff accounts in the admin's scope, searchable and filtered by role, status and territory. */
export default function AdminAccountsPage() {
  return (
    <PageShell className='admin-page admin-accounts'>
      <StaffOnly roles={SUPERVISOR_ROLES} back={Routes.adminAccounts}>
        <AccountList />
      </StaffOnly>
    </PageShell>
  )
}
