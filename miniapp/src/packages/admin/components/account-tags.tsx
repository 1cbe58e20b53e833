import { View, Text } from '@tarojs/components'
import type { AccountView } from '@palm/shared'
import { STAFF_ROLE_LABELS } from './admin-roles'

/** The small badges of an account: what needs attention first. */
export function AccountTags({ a }: { a: AccountView }) {
  return (
    <View className='admin-tags'>
      <Text className='admin-tag'>{STAFF_ROLE_LABELS[a.role]}</Text>
      {a.disabled ? <Text className='admin-tag is-danger'>已停用</Text> : null}
      {a.locked ? <Text className='admin-tag is-danger'>已锁定</Text> : null}
      {a.mustChangePassword ? <Text className='admin-tag is-warn'>待改初始密码</Text> : null}
      {a.hasTotp ? <Text className='admin-tag'>动态验证码</Text> : null}
      {a.wechatBound ? <Text className='admin-tag is-ok'>已绑微信</Text> : null}
      {a.role === 'grid_worker' ? <Text className={`admin-tag${a.onDuty ? ' is-ok' : ''}`}>{a.onDuty ? '在岗' : '离岗'}</Text> : null}
    </View>
  )
}

/** Where an account works, in one line. */
export function scopeText(a: AccountView): string {
  if (a.role === 'grid_worker') return [a.communityName, (a.gridNames ?? a.gridCodes).join('、')].filter(Boolean).join(' · ')
  if (a.role === 'community_staff') return [a.streetName, a.communityName ?? a.communityCode].filter(Boolean).join(' · ')
  if (a.role === 'street_admin') return a.streetName ?? a.streetCode ?? ''
  if (a.role === 'department_staff') return a.departmentCode ?? ''
  return '全区'
}
