import { useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { SUPERVISOR_ROLES, AccountLimits, type AccountView } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { StaffOnly } from '../../../components/access-cards'
import { FormNotice, TextField } from '../../../components/fields'
import { useAction } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { accountsService } from '../../../services/accounts.service'
import { isApiError } from '../../../services/api-error'
import { errorMessage } from '../../../services/show-error'
import { formatTime } from '../../../utils/format'
import { Routes, replacePage } from '../../../utils/routes'
import { STAFF_ROLE_LABELS, creatableRoles, managesAccounts } from '../components/admin-roles'
import { ChoiceGroup } from '../../../components/choice-group'
import { SecretDialog } from '../components/secret-dialog'
import { AccountTags, scopeText } from '../components/account-tags'
import { AccountSecurity, type Secret } from '../components/account-security'
import { ScopeFields } from '../components/scope-fields'
import { buildCreate, buildUpdate, accountFieldErrors, type AccountField, type AccountFormState } from './account-form'
import '../components/admin.scss'
import { ActionButton } from '../../../components/buttons'

function stateOf(a?: AccountView): AccountFormState {
  return {
    role: a?.role,
    username: a?.username ?? '',
    displayName: a?.displayName ?? '',
    phone: a?.phone ?? '',
    grids: a ? a.gridCodes.map((code, i) => ({ code, name: a.gridNames?.[i] ?? code, communityCode: a.communityCode })) : [],
    communityCode: a?.communityCode,
    streetCode: a?.streetCode,
    departmentCode: a?.departmentCode
  }
}

function AccountEditor({ id }: { id?: string }) {
  const session = useSession()
  const actorRole = session?.user.role
  const canManage = managesAccounts(actorRole)
  const [account, setAccount] = useState<AccountView>()
  const [loadError, setLoadError] = useState<unknown>()
  const [state, setState] = useState<AccountFormState>(() => stateOf())
  const [scopeTouched, setScopeTouched] = useState(false)
  const [errors, setErrors] = useState<Partial<Record<AccountField, string>>>({})
  const [notice, setNotice] = useState<string>()
  const [secret, setSecret] = useState<Secret>()
  const action = useAction()
  const roles = creatableRoles(actorRole)

  function load() {
    if (!id) return
    setLoadError(undefined)
    accountsService
      .get(id)
      .then((a) => {
        setAccount(a)
        setState(stateOf(a))
        setScopeTouched(false)
      })
      .catch(setLoadError)
  }
  useEffect(load, [id])

  if (id && !account) return <StateView loading={!loadError} error={loadError} onRetry={load} />

  const patch = (p: Partial<AccountFormState>) => {
    setState((s) => ({ ...s, ...p }))
    setErrors((e) => {
      const next = { ...e }
      for (const k of Object.keys(p)) delete next[k as AccountField]
      if ('grids' in p) delete next.gridCodes
      return next
    })
  }
  const patchScope = (p: Partial<AccountFormState>) => {
    setScopeTouched(true)
    patch(p)
  }

  function serverErrors(err: unknown) {
    if (isApiError(err) && err.code === 'username_taken') return setErrors({ username: '该用户名已被使用，请换一个' })
    if (isApiError(err) && err.issues.length) {
      const fe = accountFieldErrors(err.issues.map((i) => ({ path: i.path, code: i.code })))
      if (Object.keys(fe).length) return setErrors(fe)
    }
    if (isApiError(err) && err.status === 404) return setNotice('所选辖区或账号不在您的管理范围内，请重新选择。')
    setNotice(errorMessage(err))
  }

  async function create() {
    setNotice(undefined)
    const { body, errors: found } = buildCreate(state)
    setErrors(found)
    if (!body) return
    await action.run(async () => {
      try {
        const created = await accountsService.create(body)
        setSecret({
          title: '账号已创建',
          username: created.account.username,
          oneTimePassword: created.oneTimePassword,
          totpUri: created.totpUri,
          then: () => replacePage(Routes.adminAccount(created.account.id))
        })
      } catch (err) {
        serverErrors(err)
      }
    })
  }

  async function save() {
    if (!account) return
    setNotice(undefined)
    const { body, errors: found, unchanged } = buildUpdate(account, state, scopeTouched)
    setErrors(found)
    if (unchanged) return void Taro.showToast({ title: '没有需要保存的修改', icon: 'none' })
    if (!body) return
    await action.run(async () => {
      try {
        const a = await accountsService.update(account.id, body)
        setAccount(a)
        setState(stateOf(a))
        setScopeTouched(false)
        void Taro.showToast({ title: '已保存', icon: 'success' })
      } catch (err) {
        serverErrors(err)
      }
    })
  }

  const role = account?.role ?? state.role
  const readOnly = Boolean(account) && !canManage
  const actorStreet = actorRole === 'street_admin' ? session?.user.scope.streetCode : undefined

  return (
    <>
      {account ? (
        <View className='card account-summary'>
          <View className='card-title'>{`${account.displayName} · ${account.username}`}</View>
          <View className='muted'>{scopeText(account)}</View>
          <AccountTags a={account} />
          {account.locked && account.lockedUntil ? <View className='muted'>{`锁定至 ${formatTime(account.lockedUntil)}；重置密码或启用可立即解锁。`}</View> : null}
          <View className='muted'>{`创建于 ${formatTime(account.createdAt)}`}</View>
        </View>
      ) : null}
      <FormNotice message={notice} />
      {readOnly ? null : (
        <View className='card account-form' role='form' aria-label={account ? '修改账号' : '新建账号'}>
          {account ? (
            <View className='field'>
              <View className='field-label'>
                <Text>角色</Text>
              </View>
              <Text>{STAFF_ROLE_LABELS[account.role]}</Text>
            </View>
          ) : (
            <ChoiceGroup
              name='role'
              label='角色'
              options={roles.map((r) => ({ value: r, label: STAFF_ROLE_LABELS[r] }))}
              value={state.role}
              error={errors.role}
              onChange={(r) => {
                patch({ role: r })
                setScopeTouched(true)
              }}
            />
          )}
          {account ? null : (
            <TextField
              name='username'
              label='用户名'
              error={errors.username}
              hint='登录用，3–64 位小写字母、数字或 . _ -，创建后不能修改'
              value={state.username}
              maxlength={AccountLimits.usernameMaxLength}
              onChange={(v) => patch({ username: v })}
            />
          )}
          <TextField name='displayName' label='姓名' error={errors.displayName} value={state.displayName} maxlength={AccountLimits.displayNameMaxLength} onChange={(v) => patch({ displayName: v })} />
          <TextField name='phone' label='手机号' type='number' error={errors.phone} hint='选填，用于联系，不会公开' value={state.phone} maxlength={11} onChange={(v) => patch({ phone: v })} />
          {role ? <ScopeFields key={role} role={role} state={state} actorStreet={actorStreet} errors={errors} onChange={patchScope} /> : null}
          <ActionButton className={`btn-block ${account ? 'account-save' : 'account-create'}`} busy={action.busy} onClick={() => void (account ? save() : create())}>
            {account ? '保存修改' : '创建账号'}
          </ActionButton>
        </View>
      )}
      {account && canManage ? <AccountSecurity account={account} action={action} onAccount={setAccount} onSecret={setSecret} /> : null}
      {secret ? (
        <SecretDialog
          title={secret.title}
          username={secret.username}
          oneTimePassword={secret.oneTimePassword}
          totpUri={secret.totpUri}
          onClose={() => {
            const then = secret.then
            setSecret(undefined)
            then?.()
          }}
        />
      ) : null}
    </>
  )
}

/** 账号: create a staff account (role, username, name, phone, scope) or look after one (scope, disable, resets). */
export default function AdminAccountPage() {
  const { params } = useRouter()
  return (
    <PageShell className='admin-page admin-account'>
      <StaffOnly roles={SUPERVISOR_ROLES} back={Routes.adminAccount(params.id)}>
        <AccountEditor id={params.id} />
      </StaffOnly>
    </PageShell>
  )
}
