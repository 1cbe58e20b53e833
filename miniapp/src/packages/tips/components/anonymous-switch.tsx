import { View, Text, Switch } from '@tarojs/components'
import { namedSwitch } from '../../../components/a11y'

/** 匿名举报: staff never see who sent the tip; the sender still follows it under 我的工单. */
export function AnonymousSwitch({ checked, onChange }: { checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <View className='switch-row anonymous-row'>
      <View className='switch-text'>
        <Text>匿名举报</Text>
        <Text className='muted'>工作人员看不到您的身份；您仍可在“我的工单”查看进度</Text>
      </View>
      <Switch className='anonymous-switch' {...namedSwitch('匿名举报')} checked={checked} color='#c8102e' onChange={(e) => onChange(Boolean(e.detail.value))} />
    </View>
  )
}
