import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { dialogProps, useDialogFocus } from '../../../components/a11y'
import { groupByFour, totpSecretOf } from './admin-roles'
import { ActionButton } from '../../../components/buttons'

/**
 * A one-time password or a new authenticator, shown ONCE (the server never shows it again): with a
 * copy button and the instruction to hand it over in person. Closing it is final.
 */
export function SecretDialog(props: { title: string; oneTimePassword?: string; totpUri?: string; username?: string; onClose: () => void }) {
  const secret = props.totpUri ? totpSecretOf(props.totpUri) : undefined
  // Keyboard users land in the dialog, on its first button, and stay in it until they close it.
  useDialogFocus(true, '.secret-dialog', '[role="button"]')
  function copy(text: string, what: string) {
    void Taro.setClipboardData({ data: text }).then(
      () => Taro.showToast({ title: `${what}已复制`, icon: 'none' }),
      () => Taro.showToast({ title: '复制失败，请手动记下', icon: 'none' })
    )
  }
  return (
    <View className='secret-mask'>
      <View className='secret-dialog' {...dialogProps(props.title)}>
        <View className='card-title'>{props.title}</View>
        <View className='notice'>只显示这一次：请当面交给本人，或让本人在场记下。关闭后无法再查看，只能重新重置。</View>
        {props.username ? (
          <View className='secret-row'>
            <Text className='muted'>用户名</Text>
            <Text className='secret-value' userSelect>
              {props.username}
            </Text>
          </View>
        ) : null}
        {props.oneTimePassword ? (
          <View className='secret-row'>
            <Text className='muted'>初始密码（首次登录须修改）</Text>
            <Text className='secret-value secret-password' userSelect>
              {props.oneTimePassword}
            </Text>
            <ActionButton kind='ghost' className='secret-copy' onClick={() => copy(props.oneTimePassword ?? '', '密码')}>
              复制密码
            </ActionButton>
          </View>
        ) : null}
        {props.totpUri ? (
          <View className='secret-row'>
            <Text className='muted'>动态验证码密钥：在身份验证器 App（如腾讯身份验证器、Google Authenticator）中选“手动输入密钥”，填写：</Text>
            <Text className='secret-value secret-totp' userSelect>
              {secret ? groupByFour(secret) : props.totpUri}
            </Text>
            <ActionButton kind='ghost' className='secret-copy-totp' onClick={() => copy(props.totpUri ?? '', '设置链接')}>
              复制设置链接
            </ActionButton>
          </View>
        ) : null}
        <ActionButton className='btn-block secret-close' onClick={props.onClose}>
          我已记下，关闭
        </ActionButton>
      </View>
    </View>
  )
}
