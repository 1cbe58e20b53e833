import { isApiError } from '../../../services/api-error'
import { errorMessage } from '../../../services/show-error'

/** Which field a sign-in failure belongs to, so the message appears where the fix is typed. */
export type SignInField = 'username' | 'password' | 'totp' | 'form'

/** "15 分钟" / "40 秒" for the time an account stays locked. */
export function formatWait(seconds: number): string {
  if (seconds >= 60) return `${Math.ceil(seconds / 60)} 分钟`
  return `${Math.max(1, Math.ceil(seconds))} 秒`
}

/**
 * The plain-Chinese message for a failed staff sign-in, by error code (never by server text):
 * wrong password, locked (with the time left), disabled, an authenticator code missing, wrong or
 * reused, or an account that needs one but has none set up.
 */
export function staffSignInMessage(err: unknown, sentTotp: boolean): { field: SignInField; message: string } {
  if (!isApiError(err)) return { field: 'form', message: errorMessage(err) }
  switch (err.code) {
    case 'invalid_credentials':
      return { field: 'password', message: '用户名或密码不正确。连续输错 5 次，账号将锁定 15 分钟。' }
    case 'account_locked':
      return {
        field: 'form',
        message:
          err.retryAfterSeconds !== undefined
            ? `密码输错次数过多，账号已锁定，请 ${formatWait(err.retryAfterSeconds)}后再试，或请管理员重置密码。`
            : '密码输错次数过多，账号已暂时锁定，请稍后再试，或请管理员重置密码。'
      }
    case 'account_disabled':
      return { field: 'form', message: '该账号已停用，请联系管理员。' }
    case 'totp_required':
      return sentTotp
        ? { field: 'totp', message: '该账号需要动态验证码，但尚未设置身份验证器，请联系管理员重置动态验证码。' }
        : { field: 'totp', message: '该账号需要动态验证码：请打开身份验证器 App，输入其中的 6 位数字。' }
    case 'totp_not_enrolled':
      return { field: 'totp', message: '该账号需要动态验证码，但尚未设置身份验证器，请联系管理员重置动态验证码。' }
    case 'invalid_totp':
      return { field: 'totp', message: '动态验证码不正确，请输入身份验证器中当前显示的 6 位数字。' }
    case 'totp_reused':
      return { field: 'totp', message: '这个动态验证码刚刚已用过，请等身份验证器显示下一个验证码再输入。' }
    case 'rate_limited':
      return { field: 'form', message: '登录尝试太频繁，请 1 分钟后再试。' }
    case 'validation_failed': {
      const first = err.issues[0]?.path
      if (first === 'totp') return { field: 'totp', message: '动态验证码是 6 位数字。' }
      if (first === 'username') return { field: 'username', message: '请填写用户名。' }
      return { field: 'password', message: '请填写密码。' }
    }
    default:
      return { field: 'form', message: errorMessage(err) }
  }
}
