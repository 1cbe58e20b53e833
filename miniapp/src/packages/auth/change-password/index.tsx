import { useRef, useState } from 'react'
import { View, Text, Input } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { AuthLimits, ChangePasswordSchema, isStaffRole } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { Field } from '../../../components/field'
import { FormNotice } from '../../../components/fields'
import { namedInput } from '../../../components/a11y'
import { SignInCard } from '../../../components/access-cards'
import { useSession } from '../../../hooks/use-session'
import { authService } from '../../../services/auth.service'
import { isApiError } from '../../../services/api-error'
import { errorMessage } from '../../../services/show-error'
import { formatWait } from '../sign-in/sign-in-messages'
import { Routes, replacePage } from '../../../utils/routes'
import { PASSWORD_RULES, passwordFormProblems, type PasswordField } from './password-rules'
import './index.scss'
import { ActionButton } from '../../../components/buttons'

/**
 * 修改密码. Forced after a sign-in with a one-time password (a new account, an admin's reset) and
 * whenever the API answers 403 `password_change_required`; also reachable from 我的. On success
 * the server ends every other sign-in and answers a fresh one; the user continues to the inbox.
 */
export default function ChangePasswordPage() {
  const { params } = useRouter()
  const session = useSession()
  const [values, setValues] = useState({ currentPassword: '', newPassword: '', confirmPassword: '' })
  const [errors, setErrors] = useState<Partial<Record<PasswordField, string>>>({})
  const [formError, setFormError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const busyRef = useRef(false)
  const forced = Boolean(session?.user.mustChangePassword)

  if (!session) {
    return (
      <PageShell className='change-password'>
        <SignInCard reason='修改密码前请先登录。' back={Routes.changePassword()} />
      </PageShell>
    )
  }

  const set = (k: PasswordField) => (v: string) => {
    setValues((x) => ({ ...x, [k]: v }))
    setErrors((x) => ({ ...x, [k]: undefined }))
  }

  async function submit() {
    if (busyRef.current) return
    const found = passwordFormProblems({ ...values, username: session?.user.username })
    setErrors(found)
    setFormError(undefined)
    if (Object.keys(found).length > 0) return
    const body = ChangePasswordSchema.safeParse({ currentPassword: values.currentPassword, newPassword: values.newPassword })
    if (!body.success) {
      setErrors({ newPassword: '新密码不符合要求' })
      return
    }
    busyRef.current = true
    setBusy(true)
    try {
      const fresh = await authService.changePassword(body.data)
      void Taro.showToast({ title: '密码已修改', icon: 'success' })
      const next = params.redirect ? decodeURIComponent(params.redirect) : isStaffRole(fresh.user.role) ? Routes.staffInbox : Routes.me
      replacePage(next)
    } catch (err) {
      if (isApiError(err) && err.code === 'invalid_credentials') setErrors({ currentPassword: '当前密码不正确（首次登录请填写管理员给您的初始密码）' })
      else if (isApiError(err) && err.code === 'weak_password') setErrors({ newPassword: '新密码太常见或容易被猜到，请换一个更独特的密码' })
      else if (isApiError(err) && err.code === 'account_locked')
        setFormError(`当前密码输错次数过多，账号已锁定${err.retryAfterSeconds !== undefined ? `，请 ${formatWait(err.retryAfterSeconds)}后再试` : '，请稍后再试'}。`)
      else setFormError(errorMessage(err))
    } finally {
      busyRef.current = false
      setBusy(false)
    }
  }

  async function signOut() {
    await authService.signOut()
    replacePage(Routes.signIn())
  }

  const input = (k: PasswordField, label: string, placeholder: string) => (
    <Field name={k} label={label} error={errors[k]}>
      <Input
        className={`field-input input-${k}`}
        password
        value={values[k]}
        maxlength={AuthLimits.passwordMaxLength}
        placeholder={placeholder}
        {...namedInput(label)}
        onInput={(e) => set(k)(e.detail.value)}
        onConfirm={() => void submit()}
      />
    </Field>
  )

  return (
    <PageShell className='change-password'>
      {forced ? (
        <View className='notice' role='status'>
          为了账号安全，首次登录或管理员重置密码后，须先设置您自己的新密码，才能继续使用。
        </View>
      ) : null}
      <View className='card' role='form' aria-label='修改密码'>
        <View className='card-title'>修改密码</View>
        <FormNotice message={formError} />
        {input('currentPassword', '当前密码', forced ? '管理员给您的初始密码' : '当前密码')}
        {input('newPassword', '新密码', '新密码')}
        {input('confirmPassword', '确认新密码', '再输入一次新密码')}
        <View className='password-rules' aria-label='密码要求'>
          <Text className='password-rules-title'>新密码要求</Text>
          {PASSWORD_RULES.map((r) => (
            <Text key={r} className='password-rule'>{`· ${r}`}</Text>
          ))}
        </View>
        <ActionButton className='btn-block change-password-submit' busy={busy} busyText='正在修改…' onClick={() => void submit()}>
          修改密码
        </ActionButton>
      </View>
      {forced ? (
        <ActionButton kind='plain' className='btn-block change-password-sign-out' onClick={() => void signOut()}>
          退出登录
        </ActionButton>
      ) : null}
    </PageShell>
  )
}
