import type { ReactNode } from 'react'
import { View, Button } from '@tarojs/components'
import type { Role } from '@palm/shared'
import { useSession } from '../hooks/use-session'
import { Routes, openPage } from '../utils/routes'
import './page-blocks.scss'

/** What a page shows instead of itself to someone who may not use it: why, and a way to sign in. */

/** In place of a page that needs a signed-in user: says why, and comes back here after sign-in. */
export function SignInCard({ reason, back }: { reason: string; back: string }) {
  return (
    <View className='card sign-in-needed'>
      <View className='card-title'>请先登录</View>
      <View className='muted'>{reason}</View>
      <Button className='btn btn-primary btn-block sign-in-needed-btn' onClick={() => openPage(Routes.signIn(back))}>
        登录
      </Button>
    </View>
  )
}

/**
 * Renders children only for the given staff roles; others see who may use the page and a way to
 * switch account (the server checks the role and scope again on every call).
 */
export function StaffOnly({ roles, back, children }: { roles: readonly Role[]; back: string; children: ReactNode }) {
  const session = useSession()
  if (session && roles.includes(session.user.role)) return <>{children}</>
  return (
    <View className='card staff-only'>
      <View className='card-title'>仅限相关工作人员</View>
      <View className='muted'>请使用有权限的工作人员账号登录。</View>
      <Button className='btn btn-primary btn-block' onClick={() => openPage(Routes.signIn(back))}>
        切换账号
      </Button>
    </View>
  )
}
