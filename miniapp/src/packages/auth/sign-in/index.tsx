import { useEffect, useRef, useState } from 'react'
import { View, Text, Button, Input } from '@tarojs/components'
import { OptionPicker } from '../../../components/option-picker'
import Taro, { useRouter } from '@tarojs/taro'
import { AuthLimits, isStaffRole, type DepartmentView, type MetaView, type Role, type StreetView } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { Field } from '../../../components/field'
import { FormNotice } from '../../../components/fields'
import { namedInput, pressable } from '../../../components/a11y'
import { CommunityPicker, type TerritoryPick } from '../../../components/community-picker'
import { authService, type DemoSignInInput } from '../../../services/auth.service'
import { apiRequest } from '../../../services/api-client'
import { metaService } from '../../../services/meta.service'
import { showError } from '../../../services/show-error'
import { onSessionChange, type Session } from '../../../services/session'
import { territoryService } from '../../../services/territory.service'
import { canUseWeChatWebOAuth, startWeChatWebOAuth } from '../../../services/wechat-web-auth'
import { appConfig } from '../../../config'
import { isWeapp, isInsideWeChatBrowser } from '../../../utils/platform'
import { ROLE_LABELS } from '../../../utils/format'
import { Routes, replacePage } from '../../../utils/routes'
import { staffSignInMessage, type SignInField } from './sign-in-messages'
import './index.scss'

type ScopeNeed = 'none' | 'grid' | 'community' | 'street' | 'department'
const PERSONAS: Array<{ role: Role; title: string; text: string; needs: ScopeNeed }> = [
  { role: 'resident', title: '居民', text: '上报问题、查看进度、评价', needs: 'none' },
  { role: 'grid_worker', title: '网格员', text: '处理所在网格的工单', needs: 'grid' },
  { role: 'community_staff', title: '社区工作人员', text: '处理社区队列、督办', needs: 'community' },
  { role: 'street_admin', title: '街道综治中心', text: '上报、转派与监督', needs: 'street' },
  { role: 'district_admin', title: '区综治中心', text: '全区工单与统计', needs: 'none' },
  { role: 'department_staff', title: '职能部门', text: '处理本部门的工单', needs: 'department' }
]

/**
 * Where to go once signed in: first the forced password change when the account must change its
 * one-time password, then back where the user came from, else staff to their inbox.
 */
let lastNavigation = 0

export function afterSignIn(session: Session, redirect?: string): void {
  lastNavigation = Date.now()
  const next = redirect ? decodeURIComponent(redirect) : isStaffRole(session.user.role) ? Routes.staffInbox : Routes.me
  if (session.user.mustChangePassword) replacePage(Routes.changePassword(next))
  else replacePage(next)
}

/** The staff form: 用户名, 密码 and 动态验证码 (optional; district admins and enrolled accounts need it). */
function StaffForm({ redirect }: { redirect?: string }) {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [totp, setTotp] = useState('')
  const [error, setError] = useState<{ field: SignInField; message: string }>()
  const [busy, setBusy] = useState(false)
  const busyRef = useRef(false)

  async function submit() {
    if (busyRef.current) return
    const name = username.trim()
    const code = totp.replace(/\s/g, '')
    if (!name) return setError({ field: 'username', message: '请填写用户名。' })
    if (!password) return setError({ field: 'password', message: '请填写密码。' })
    if (code && !/^\d{6}$/.test(code)) return setError({ field: 'totp', message: '动态验证码是 6 位数字。' })
    busyRef.current = true
    setBusy(true)
    setError(undefined)
    try {
      const session = await authService.signInStaff({ username: name, password, ...(code ? { totp: code } : {}) })
      void Taro.showToast({ title: `已登录：${session.user.displayName}`, icon: 'none' })
      afterSignIn(session, redirect)
    } catch (err) {
      setError(staffSignInMessage(err, Boolean(code)))
      if (code) setTotp('')
    } finally {
      busyRef.current = false
      setBusy(false)
    }
  }

  const at = (f: SignInField) => (error?.field === f ? error.message : undefined)
  return (
    <View className='card staff-form' role='form' aria-label='工作人员登录'>
      <View className='card-title'>工作人员登录</View>
      <FormNotice className='sign-in-error' message={error?.field === 'form' ? error.message : undefined} />
      <Field name='username' label='用户名' error={at('username')}>
        <Input
          className='field-input input-username'
          value={username}
          maxlength={AuthLimits.usernameMaxLength}
          placeholder='管理员分配的用户名'
          {...namedInput('用户名')}
          onInput={(e) => setUsername(e.detail.value)}
        />
      </Field>
      <Field name='password' label='密码' error={at('password')}>
        <Input
          className='field-input input-password'
          password
          value={password}
          maxlength={AuthLimits.passwordMaxLength}
          placeholder='密码'
          {...namedInput('密码')}
          onInput={(e) => setPassword(e.detail.value)}
          onConfirm={() => void submit()}
        />
      </Field>
      <Field name='totp' label='动态验证码' error={at('totp')} hint='区级管理员及已开启身份验证器的账号填写：身份验证器 App 中的 6 位数字；其他账号不填。'>
        <Input
          className='field-input input-totp'
          type='number'
          value={totp}
          maxlength={AuthLimits.totpDigits}
          placeholder='6 位数字（选填）'
          {...namedInput('动态验证码')}
          onInput={(e) => setTotp(e.detail.value)}
          onConfirm={() => void submit()}
        />
      </Field>
      <Button className={`btn btn-primary btn-block staff-sign-in${busy ? ' btn-disabled' : ''}`} disabled={busy || undefined} {...pressable(() => void submit())} onClick={() => void submit()}>
        {busy ? '正在登录…' : '登录'}
      </Button>
      <View className='muted staff-form-help'>忘记密码或账号被锁定，请联系上级管理员重置。首次登录须修改初始密码。</View>
    </View>
  )
}

/** A street, alone: the street-admin persona acts for a whole street and needs no community. */
function StreetPicker({ onChange }: { onChange: (s: StreetView | undefined) => void }) {
  const [streets, setStreets] = useState<StreetView[]>([])
  const [street, setStreet] = useState<StreetView>()
  useEffect(() => {
    territoryService
      .listStreets()
      .then(setStreets)
      .catch((err: unknown) => void showError(err))
  }, [])
  return (
    <OptionPicker
      options={streets}
      index={streets.findIndex((s) => s.code === street?.code)}
      optionLabel={(s) => s.name}
      onPick={(i) => {
        const s = streets[i]
        setStreet(s)
        onChange(s)
      }}
      label='选择街道'
      placeholder='选择街道'
      className='picker-street'
    />
  )
}

/** Demo mode only: the persona picker (the server answers 404 to it anywhere else). */
function DemoPersonas({ redirect, initial }: { redirect?: string; initial: Record<string, string | undefined> }) {
  const [persona, setPersona] = useState<Role>((initial.persona as Role | undefined) ?? 'resident')
  const [residentKey, setResidentKey] = useState(initial.key ?? 'demo-resident-1')
  const [pick, setPick] = useState<TerritoryPick>()
  const [street, setStreet] = useState<StreetView>()
  const [departments, setDepartments] = useState<DepartmentView[]>([])
  const [department, setDepartment] = useState<string | undefined>(initial.departmentCode)
  const [busy, setBusy] = useState(false)
  const busyRef = useRef(false)
  const need = PERSONAS.find((p) => p.role === persona)?.needs ?? 'none'

  useEffect(() => {
    if (need === 'department' && departments.length === 0) {
      apiRequest<DepartmentView[]>({ path: '/api/territory/departments', auth: false })
        .then(setDepartments)
        .catch((err: unknown) => void showError(err))
    }
  }, [need, departments.length])

  function demoInput(): DemoSignInInput | string {
    if (need === 'grid') return pick?.grid ? { persona, gridCode: pick.grid.code } : '请选择网格'
    if (need === 'community') return pick?.community ? { persona, communityCode: pick.community.code } : '请选择社区'
    if (need === 'street') return street ? { persona, streetCode: street.code } : '请选择街道'
    if (need === 'department') return department ? { persona, departmentCode: department } : '请选择部门'
    return persona === 'resident' || persona === 'volunteer' ? { persona, key: residentKey.trim() || 'demo-resident-1' } : { persona }
  }

  async function handleDemoSignIn() {
    const input = demoInput()
    if (typeof input === 'string') {
      void Taro.showToast({ title: input, icon: 'none' })
      return
    }
    if (busyRef.current) return
    busyRef.current = true
    setBusy(true)
    try {
      const session = await authService.signInDemo(input)
      void Taro.showToast({ title: `已登录：${session.user.displayName}`, icon: 'none' })
      afterSignIn(session, redirect)
    } catch (err) {
      void showError(err)
    } finally {
      busyRef.current = false
      setBusy(false)
    }
  }

  const choose = (role: Role) => {
    setPersona(role)
    setPick(undefined)
    setStreet(undefined)
  }

  return (
    <>
      <View className='notice'>演示模式：所有社区、网格、人员和工单均为虚构数据，仅供体验。</View>
      <View className='card'>
        <View className='card-title'>选择演示身份</View>
        <View className='persona-list' role='radiogroup' aria-label='演示身份'>
          {PERSONAS.map((p) => (
            <View
              key={p.role}
              className={`persona persona-${p.role}${persona === p.role ? ' is-active' : ''}`}
              {...pressable(() => choose(p.role), { role: 'radio' })}
              aria-checked={persona === p.role}
              onClick={() => choose(p.role)}
            >
              <Text className='persona-title'>{p.title}</Text>
              <Text className='persona-text'>{p.text}</Text>
            </View>
          ))}
        </View>
      </View>
      {persona === 'resident' ? (
        <View className='card'>
          <Field name='resident-key' label='居民编号（同一编号即同一位居民）'>
            <Input className='field-input resident-key' value={residentKey} maxlength={64} {...namedInput('居民编号')} onInput={(e) => setResidentKey(e.detail.value)} />
          </Field>
        </View>
      ) : null}
      {need === 'grid' || need === 'community' ? (
        <View className='card'>
          <View className='field-label'>{need === 'grid' ? '所在网格' : '所在社区'}</View>
          <CommunityPicker
            key={persona}
            depth={need === 'grid' ? 'grid' : 'community'}
            initial={{ streetCode: initial.streetCode, communityCode: initial.communityCode, gridCode: initial.gridCode }}
            onChange={setPick}
          />
        </View>
      ) : null}
      {need === 'street' ? (
        <View className='card'>
          <View className='field-label'>所在街道</View>
          <StreetPicker onChange={setStreet} />
        </View>
      ) : null}
      {need === 'department' ? (
        <View className='card'>
          <View className='field-label'>所属部门</View>
          <OptionPicker
            options={departments}
            index={departments.findIndex((d) => d.code === department)}
            optionLabel={(d) => d.name}
            onPick={(i) => setDepartment(departments[i]?.code)}
            label='所属部门'
            placeholder='选择部门'
            className='picker-department'
          />
        </View>
      ) : null}
      <Button
        className={`btn btn-primary btn-block demo-sign-in${busy ? ' btn-disabled' : ''}`}
        disabled={busy || undefined}
        {...pressable(() => void handleDemoSignIn())}
        onClick={() => void handleDemoSignIn()}
      >
        {busy ? '正在登录…' : `以${ROLE_LABELS[persona] ?? ''}身份进入`}
      </Button>
    </>
  )
}

/** Residents: WeChat. In the mini-program wx.login (also staff who bound their WeChat); in WeChat's browser the OAuth redirect. */
function WeChatCard({ meta, redirect }: { meta: MetaView; redirect?: string }) {
  const [busy, setBusy] = useState(false)
  const webAppId = meta.wechatWebAppId ?? appConfig.appId
  async function signInMini() {
    if (busy) return
    setBusy(true)
    try {
      afterSignIn(await authService.signInWithWeChat(), redirect)
    } catch (err) {
      void showError(err)
    } finally {
      setBusy(false)
    }
  }
  if (isWeapp && meta.signIn.includes('wechat_mini')) {
    return (
      <View className='card sign-in-card'>
        <View className='sign-in-title'>登录掌上平城</View>
        <View className='muted'>使用微信身份登录，我们不会获取您的手机号。已绑定微信的工作人员也可一键登录。</View>
        <Button className='btn btn-primary btn-block sign-in-wechat' onClick={() => void signInMini()}>
          {busy ? '正在登录…' : '微信一键登录'}
        </Button>
      </View>
    )
  }
  if (!isWeapp && meta.signIn.includes('wechat_web') && canUseWeChatWebOAuth(webAppId)) {
    return (
      <View className='card sign-in-card'>
        <View className='sign-in-title'>居民登录</View>
        <View className='muted'>使用微信身份登录，我们不会获取您的手机号。</View>
        <Button className='btn btn-primary btn-block sign-in-wechat' {...pressable(() => startWeChatWebOAuth(webAppId))} onClick={() => startWeChatWebOAuth(webAppId)}>
          使用微信身份登录
        </Button>
      </View>
    )
  }
  if (!isWeapp && !isInsideWeChatBrowser()) {
    return (
      <View className='card sign-in-card resident-hint'>
        <View className='sign-in-title'>居民</View>
        <View className='muted'>居民请在微信中打开“掌上平城”小程序或本页面，使用微信身份登录。</View>
      </View>
    )
  }
  return null
}

/**
 * 登录: what the server offers (GET /api/meta). Demo mode shows the persona picker; otherwise
 * residents sign in with WeChat and staff with username, password and, where needed, the
 * authenticator code. In the mini-program the staff form is one tap away (工作人员登录).
 */
export default function SignInPage() {
  const { params } = useRouter()
  const [meta, setMeta] = useState<MetaView>()
  const [error, setError] = useState<unknown>()
  const [showStaff, setShowStaff] = useState(params.staff === '1')

  function load() {
    setError(undefined)
    metaService.get().then(setMeta).catch(setError)
  }
  useEffect(load, [])
  // WeChat's OAuth comes back to this page and the app completes the sign-in (app.tsx): carry on.
  useEffect(
    () =>
      onSessionChange((s) => {
        // Deferred: a sign-in made on this page navigates itself; only one completed elsewhere is followed.
        if (s && s.user.role === 'resident') setTimeout(() => Date.now() - lastNavigation > 1_000 && afterSignIn(s, params.redirect), 50)
      }),
    []
  )

  if (!meta) {
    return (
      <PageShell className='sign-in'>
        <StateView loading={!error} error={error} onRetry={load} />
      </PageShell>
    )
  }

  const staffAllowed = meta.signIn.includes('staff_password')
  const demo = meta.demoMode && meta.signIn.includes('demo')
  // H5 outside demo mode is where staff work at a desk: the form is shown at once.
  // In WeChat's browser residents come first: the form is one tap away there too.
  const staffOpen = staffAllowed && (showStaff || (!isWeapp && !demo && !isInsideWeChatBrowser()))
  // A desk browser (H5 outside WeChat) is staff's: their form comes first, the note for residents after.
  const staffFirst = staffOpen && !isWeapp && !isInsideWeChatBrowser()

  return (
    <PageShell className='sign-in'>
      {demo ? <DemoPersonas redirect={params.redirect} initial={params} /> : null}
      {!demo && !staffFirst ? <WeChatCard meta={meta} redirect={params.redirect} /> : null}
      {staffOpen ? <StaffForm redirect={params.redirect} /> : null}
      {!demo && staffFirst ? <WeChatCard meta={meta} redirect={params.redirect} /> : null}
      {staffAllowed && !staffOpen ? (
        <View className='staff-link-row'>
          <Text className='staff-link' {...pressable(() => setShowStaff(true), { role: 'link' })} onClick={() => setShowStaff(true)}>
            工作人员登录
          </Text>
        </View>
      ) : null}
    </PageShell>
  )
}
