import { AuthLimits } from '@palm/shared'

/** The password rules as the page lists them (the server checks the same, plus a list of common passwords). */
export const PASSWORD_RULES: readonly string[] = [
  `至少 ${AuthLimits.passwordMinLength} 个字符`,
  '包含以下四类中的至少三类：小写字母、大写字母、数字、其他符号',
  '不能是常见密码（如 Password123!），不能包含用户名，不能与当前密码相同'
]

function characterClasses(password: string): number {
  return [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u].filter((re) => re.test(password)).length
}

export type PasswordField = 'currentPassword' | 'newPassword' | 'confirmPassword'

/**
 * What is wrong with the form before it is sent, one message per field (the first problem): the
 * same length and character-class rules the server applies; "common" is left to the server.
 */
export function passwordFormProblems(input: { currentPassword: string; newPassword: string; confirmPassword: string; username?: string | null }): Partial<Record<PasswordField, string>> {
  const out: Partial<Record<PasswordField, string>> = {}
  if (!input.currentPassword) out.currentPassword = '请填写当前密码（首次登录请填写管理员给您的初始密码）'
  const pw = input.newPassword
  const length = [...pw].length
  if (!pw) out.newPassword = '请填写新密码'
  else if (length < AuthLimits.passwordMinLength) out.newPassword = `新密码至少 ${AuthLimits.passwordMinLength} 个字符，现在只有 ${length} 个`
  else if (length > AuthLimits.passwordMaxLength) out.newPassword = `新密码不能超过 ${AuthLimits.passwordMaxLength} 个字符`
  else if (characterClasses(pw) < 3) out.newPassword = '新密码须包含小写字母、大写字母、数字、符号中的至少三类'
  else if (input.username && input.username.length >= 3 && pw.toLowerCase().includes(input.username.toLowerCase())) out.newPassword = '新密码不能包含用户名'
  else if (pw === input.currentPassword) out.newPassword = '新密码不能与当前密码相同'
  if (!out.newPassword && input.confirmPassword !== pw) out.confirmPassword = '两次输入的新密码不一致'
  return out
}
