import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { AccountView } from '@palm/shared'
import type { useAction } from '../../../hooks/use-resource'
import { accountsService } from '../../../services/accounts.service'
import { showError } from '../../../services/show-error'
import { ActionButton } from '../../../components/buttons'

/** A one-time password or authenticator key to show once, then (after a new account) where to go. */
export interface Secret {
  title: string
  oneTimePassword?: string
  totpUri?: string
  username?: string
  then?: () => void
}

/**
 * 账号安全: reset the password, reset (or turn on) the authenticator, disable or enable the account;
 * each asks for confirmation first and runs as the editor's one action at a time.
 */
export function AccountSecurity(props: { account: AccountView; action: ReturnType<typeof useAction>; onAccount: (a: AccountView) => void; onSecret: (s: Secret) => void }) {
  const { account, action } = props
  const setAccount = props.onAccount
  const setSecret = props.onSecret

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
    void confirmThen('重置密码', `将为 ${account.displayName} 生成新的初始密码，原密码立即失效，本人须在下次登录时修改。`, '重置', async () => {
      const r = await accountsService.resetPassword(account.id)
      setSecret({ title: '新的初始密码', username: account.username, oneTimePassword: r.oneTimePassword })
      setAccount(await accountsService.get(account.id))
    })
  }
  const resetTotp = () => {
    void confirmThen('重置动态验证码', `将为 ${account.displayName} 生成新的身份验证器密钥，原来的立即失效；此后登录都须输入动态验证码。`, '重置', async () => {
      const r = await accountsService.resetTotp(account.id)
      setSecret({ title: '新的动态验证码密钥', username: account.username, totpUri: r.totpUri })
      setAccount(await accountsService.get(account.id))
    })
  }

  return (
    <View className='card admin-actions'>
      <View className='card-title'>账号安全</View>
      <ActionButton kind='plain' className='account-reset-password' onClick={resetPassword}>
        重置密码
      </ActionButton>
      <ActionButton kind='plain' className='account-reset-totp' onClick={resetTotp}>
        {account.hasTotp ? '重置动态验证码' : '开启动态验证码'}
      </ActionButton>
      <ActionButton kind={account.disabled ? 'primary' : 'ghost'} className='account-toggle' onClick={toggleDisabled}>
        {account.disabled ? '启用账号' : '停用账号'}
      </ActionButton>
    </View>
  )
}
