import { useEffect, useRef, useState } from 'react'
import { View, Text, Button, Input, Picker } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { isStaffRole, type DepartmentView, type Role } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { CommunityPicker, type TerritoryPick } from '../../../components/community-picker'
import { authService, type DemoSignInInput } from '../../../services/auth.service'
import { apiRequest } from '../../../services/api-client'
import { showError } from '../../../services/show-error'
import type { Session } from '../../../services/session'
import { canUseWeChatWebOAuth, startWeChatWebOAuth } from '../../../services/wechat-web-auth'
import { isWeapp } from '../../../utils/platform'
import { ROLE_LABELS } from '../../../utils/format'
import { Routes, replacePage } from '../../../utils/routes'
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

/** Where to go once signed in: back where the user came from, else staff to their inbox. */
function afterSignIn(session: Session, redirect?: string) {
  if (redirect) replacePage(decodeURIComponent(redirect))
  else replacePage(isStaffRole(session.user.role) ? Routes.staffInbox : Routes.me)
}

export default function SignInPage() {
  const { params } = useRouter()
  const [persona, setPersona] = useState<Role>((params.persona as Role | undefined) ?? 'resident')
  const [residentKey, setResidentKey] = useState(params.key ?? 'demo-resident-1')
  const [pick, setPick] = useState<TerritoryPick>()
  const [departments, setDepartments] = useState<DepartmentView[]>([])
  const [department, setDepartment] = useState<string | undefined>(params.departmentCode)
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

  async function run(signIn: () => Promise<Session>) {
    if (busyRef.current) return
    busyRef.current = true
    setBusy(true)
    try {
      const session = await signIn()
      void Taro.showToast({ title: `已登录：${session.user.displayName}`, icon: 'none' })
      afterSignIn(session, params.redirect)
    } catch (err) {
      void showError(err)
    } finally {
      busyRef.current = false
      setBusy(false)
    }
  }

  function demoInput(): DemoSignInInput | string {
    if (need === 'grid') return pick?.grid ? { persona, gridCode: pick.grid.code } : '请选择网格'
    if (need === 'community') return pick?.community ? { persona, communityCode: pick.community.code } : '请选择社区'
    if (need === 'street') return pick ? { persona, streetCode: pick.street.code } : '请选择街道'
    if (need === 'department') return department ? { persona, departmentCode: department } : '请选择部门'
    return persona === 'resident' || persona === 'volunteer' ? { persona, key: residentKey.trim() || 'demo-resident-1' } : { persona }
  }

  function handleDemoSignIn() {
    const input = demoInput()
    if (typeof input === 'string') {
      void Taro.showToast({ title: input, icon: 'none' })
      return
    }
    void run(() => authService.signInDemo(input))
  }

  if (isWeapp) {
    return (
      <PageShell className='sign-in'>
        <View className='card sign-in-card'>
          <View className='sign-in-title'>登录掌上平城</View>
          <View className='muted'>使用微信身份登录，我们不会获取您的手机号。</View>
          <Button className='btn btn-primary btn-block sign-in-wechat' onClick={() => void run(() => authService.signInWithWeChat())}>
            {busy ? '正在登录…' : '微信一键登录'}
          </Button>
        </View>
      </PageShell>
    )
  }

  return (
    <PageShell className='sign-in'>
      {canUseWeChatWebOAuth() ? (
        <View className='card sign-in-card'>
          <View className='sign-in-title'>微信登录</View>
          <Button className='btn btn-primary btn-block' onClick={startWeChatWebOAuth}>
            使用微信身份登录
          </Button>
        </View>
      ) : null}
      <View className='notice'>演示模式：所有社区、网格、人员和工单均为虚构数据，仅供体验。</View>
      <View className='card'>
        <View className='card-title'>选择演示身份</View>
        <View className='persona-list'>
          {PERSONAS.map((p) => (
            <View
              key={p.role}
              className={`persona persona-${p.role}${persona === p.role ? ' is-active' : ''}`}
              role='radio'
              aria-checked={persona === p.role}
              onClick={() => {
                setPersona(p.role)
                setPick(undefined)
              }}
            >
              <Text className='persona-title'>{p.title}</Text>
              <Text className='persona-text'>{p.text}</Text>
            </View>
          ))}
        </View>
      </View>
      {persona === 'resident' ? (
        <View className='card'>
          <View className='field-label'>居民编号（同一编号即同一位居民）</View>
          <Input className='field-input resident-key' value={residentKey} maxlength={64} onInput={(e) => setResidentKey(e.detail.value)} />
        </View>
      ) : null}
      {need === 'grid' || need === 'community' || need === 'street' ? (
        <View className='card'>
          <View className='field-label'>{need === 'grid' ? '所在网格' : need === 'community' ? '所在社区' : '所在街道'}</View>
          <CommunityPicker
            key={`${persona}`}
            depth={need === 'grid' ? 'grid' : 'community'}
            initial={{ streetCode: params.streetCode, communityCode: params.communityCode, gridCode: params.gridCode }}
            onChange={setPick}
          />
        </View>
      ) : null}
      {need === 'department' ? (
        <View className='card'>
          <View className='field-label'>所属部门</View>
          <Picker
            mode='selector'
            range={departments}
            rangeKey='name'
            value={Math.max(0, departments.findIndex((d) => d.code === department))}
            onChange={(e) => setDepartment(departments[Number(e.detail.value)]?.code)}
          >
            <View className='field-picker'>{departments.find((d) => d.code === department)?.name ?? '选择部门'}</View>
          </Picker>
        </View>
      ) : null}
      <Button className={`btn btn-primary btn-block demo-sign-in${busy ? ' btn-disabled' : ''}`} disabled={busy || undefined} onClick={handleDemoSignIn}>
        {busy ? '正在登录…' : `以${ROLE_LABELS[persona] ?? ''}身份进入`}
      </Button>
    </PageShell>
  )
}
