import { useEffect, useState } from 'react'
import { View, Text, Input, Button } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { AccountLimits, type AccountView, type DepartmentView, type StaffRole, type StreetView } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { Field } from '../../../components/field'
import { namedInput, pressable } from '../../../components/a11y'
import { CommunityPicker, type TerritoryPick } from '../../../components/community-picker'
import { SelectField, StaffOnly, FormNotice } from '../../../components/service-ui'
import { useAction } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { accountsService } from '../../../services/accounts.service'
import { apiRequest } from '../../../services/api-client'
import { isApiError } from '../../../services/api-error'
import { errorMessage, showError } from '../../../services/show-error'
import { territoryService } from '../../../services/territory.service'
import { formatTime } from '../../../utils/format'
import { Routes, replacePage } from '../../../utils/routes'
import { STAFF_ROLE_LABELS, creatableRoles, managesAccounts } from '../components/admin-roles'
import { ChoiceGroup } from '../../../components/choice-group'
import { SecretDialog } from '../components/secret-dialog'
import { AccountTags, scopeText } from '../components/account-tags'
import { buildCreate, buildUpdate, accountFieldErrors, type AccountField, type AccountFormState, type ChosenGrid } from './account-form'
import '../components/admin.scss'

interface Secret {
  title: string
  oneTimePassword?: string
  totpUri?: string
  username?: string
  then?: () => void
}

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

/** The scope pickers of one role: several grids for a grid worker, a community, a street or a department. */
function ScopeFields(props: {
  role: StaffRole
  state: AccountFormState
  actorStreet?: string
  errors: Partial<Record<AccountField, string>>
  onChange: (patch: Partial<AccountFormState>) => void
}) {
  const { role, state, errors, onChange } = props
  const [pending, setPending] = useState<TerritoryPick>()
  const [streets, setStreets] = useState<StreetView[]>([])
  const [departments, setDepartments] = useState<DepartmentView[]>([])
  useEffect(() => {
    if (role === 'street_admin' && streets.length === 0) territoryService.listStreets().then(setStreets).catch((e: unknown) => void showError(e))
    if (role === 'department_staff' && departments.length === 0)
      apiRequest<DepartmentView[]>({ path: '/api/territory/departments', auth: false }).then(setDepartments).catch((e: unknown) => void showError(e))
  }, [role])

  if (role === 'district_admin') return <View className='muted scope-district'>区综治中心账号管理全区；登录时还须输入动态验证码（创建后显示设置密钥）。</View>

  if (role === 'grid_worker') {
    const add = () => {
      const g = pending?.grid
      if (!g) {
        void Taro.showToast({ title: '请先选择网格', icon: 'none' })
        return
      }
      if (state.grids.some((x) => x.code === g.code)) return
      const next: ChosenGrid[] = [...state.grids, { code: g.code, name: g.name, communityCode: pending.community?.code }]
      onChange({ grids: next })
    }
    return (
      <Field name='gridCodes' label='负责网格（可多个，须同一社区；第一个为主网格）' error={errors.gridCodes}>
        <View className='grid-chips' role='list' aria-label='已选网格'>
          {state.grids.length === 0 ? <Text className='muted'>尚未选择网格</Text> : null}
          {state.grids.map((g, i) => (
            <View key={g.code} className='grid-chip' role='listitem'>
              <Text>{`${g.name}${i === 0 ? '（主）' : ''}`}</Text>
              <View
                className='grid-chip-remove'
                {...pressable(() => onChange({ grids: state.grids.filter((x) => x.code !== g.code) }), { label: `移除${g.name}` })}
                onClick={() => onChange({ grids: state.grids.filter((x) => x.code !== g.code) })}
              >
                ✕
              </View>
            </View>
          ))}
        </View>
        <CommunityPicker depth='grid' initial={{ streetCode: props.actorStreet ?? state.streetCode, communityCode: state.communityCode }} onChange={setPending} />
        <Button className='btn btn-ghost grid-add' {...pressable(add)} onClick={add}>
          添加网格
        </Button>
      </Field>
    )
  }

  if (role === 'community_staff') {
    return (
      <Field name='communityCode' label='所在社区' error={errors.communityCode}>
        <CommunityPicker
          depth='community'
          initial={{ streetCode: props.actorStreet ?? state.streetCode, communityCode: state.communityCode }}
          onChange={(p) => onChange({ communityCode: p?.community?.code, streetCode: p?.street.code })}
        />
      </Field>
    )
  }

  if (role === 'street_admin') {
    return (
      <SelectField
        name='streetCode'
        label='所在街道'
        options={streets.map((s) => ({ value: s.code, label: s.name }))}
        value={state.streetCode}
        placeholder='选择街道'
        error={errors.streetCode}
        onChange={(code) => onChange({ streetCode: code })}
      />
    )
  }

  return (
    <SelectField
      name='departmentCode'
      label='所属部门'
      options={departments.map((d) => ({ value: d.code, label: d.name }))}
      value={state.departmentCode}
      placeholder='选择部门'
      error={errors.departmentCode}
      onChange={(code) => onChange({ departmentCode: code })}
    />
  )
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

  async function confirmThen(title: string, content: string, confirmText: string, run: () => Promise<void>) {
    const res = await Taro.showModal({ title, content, confirmText })
    if (!res.confirm) return
    await action.run(async () => {
      try {
        await run()
      } catch (err) {
        void showError(err)
      }
    })
  }

  const toggleDisabled = () => {
    if (!account) return
    const disabling = !account.disabled
    void confirmThen(
      disabling ? '停用账号' : '启用账号',
      disabling ? `停用后 ${account.displayName} 立即无法登录和办理，已登录的也会被退出。` : `启用后 ${account.displayName} 可以重新登录（锁定也一并解除）。`,
      disabling ? '停用' : '启用',
      async () => {
        const a = disabling ? await accountsService.disable(account.id) : await accountsService.enable(account.id)
        setAccount(a)
        void Taro.showToast({ title: disabling ? '已停用' : '已启用', icon: 'none' })
      }
    )
  }
  const resetPassword = () => {
    if (!account) return
    void confirmThen('重置密码', `将为 ${account.displayName} 生成新的初始密码，原密码立即失效，本人须在下次登录时修改。`, '重置', async () => {
      const r = await accountsService.resetPassword(account.id)
      setSecret({ title: '新的初始密码', username: account.username, oneTimePassword: r.oneTimePassword })
      setAccount(await accountsService.get(account.id))
    })
  }
  const resetTotp = () => {
    if (!account) return
    void confirmThen('重置动态验证码', `将为 ${account.displayName} 生成新的身份验证器密钥，原来的立即失效；此后登录都须输入动态验证码。`, '重置', async () => {
      const r = await accountsService.resetTotp(account.id)
      setSecret({ title: '新的动态验证码密钥', username: account.username, totpUri: r.totpUri })
      setAccount(await accountsService.get(account.id))
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
            <Field name='username' label='用户名' error={errors.username} hint='登录用，3–64 位小写字母、数字或 . _ -，创建后不能修改'>
              <Input className='field-input input-username' value={state.username} maxlength={AccountLimits.usernameMaxLength} {...namedInput('用户名')} onInput={(e) => patch({ username: e.detail.value })} />
            </Field>
          )}
          <Field name='displayName' label='姓名' error={errors.displayName}>
            <Input className='field-input input-displayName' value={state.displayName} maxlength={AccountLimits.displayNameMaxLength} {...namedInput('姓名')} onInput={(e) => patch({ displayName: e.detail.value })} />
          </Field>
          <Field name='phone' label='手机号' error={errors.phone} hint='选填，用于联系，不会公开'>
            <Input className='field-input input-phone' type='number' value={state.phone} maxlength={11} {...namedInput('手机号')} onInput={(e) => patch({ phone: e.detail.value })} />
          </Field>
          {role ? <ScopeFields key={role} role={role} state={state} actorStreet={actorStreet} errors={errors} onChange={patchScope} /> : null}
          <Button
            className={`btn btn-primary btn-block ${account ? 'account-save' : 'account-create'}${action.busy ? ' btn-disabled' : ''}`}
            disabled={action.busy || undefined}
            {...pressable(() => void (account ? save() : create()))}
            onClick={() => void (account ? save() : create())}
          >
            {action.busy ? '请稍候…' : account ? '保存修改' : '创建账号'}
          </Button>
        </View>
      )}
      {account && canManage ? (
        <View className='card admin-actions'>
          <View className='card-title'>账号安全</View>
          <Button className='btn account-reset-password' {...pressable(resetPassword)} onClick={resetPassword}>
            重置密码
          </Button>
          <Button className='btn account-reset-totp' {...pressable(resetTotp)} onClick={resetTotp}>
            {account.hasTotp ? '重置动态验证码' : '开启动态验证码'}
          </Button>
          <Button className={`btn ${account.disabled ? 'btn-primary' : 'btn-ghost'} account-toggle`} {...pressable(toggleDisabled)} onClick={toggleDisabled}>
            {account.disabled ? '启用账号' : '停用账号'}
          </Button>
        </View>
      ) : null}
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
      <StaffOnly roles={['community_staff', 'street_admin', 'district_admin']} back={Routes.adminAccount(params.id)}>
        <AccountEditor id={params.id} />
      </StaffOnly>
    </PageShell>
  )
}
