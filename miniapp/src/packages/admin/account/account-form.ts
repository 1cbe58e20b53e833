import { CreateAccountSchema, UpdateAccountSchema, type AccountView, type CreateAccountInput, type StaffRole, type UpdateAccountInput } from '@palm/shared'
import type { PathIssue } from '../../../services/form-errors'

export const ACCOUNT_FIELDS = ['role', 'username', 'displayName', 'phone', 'gridCodes', 'communityCode', 'streetCode', 'departmentCode'] as const
export type AccountField = (typeof ACCOUNT_FIELDS)[number]

/** A grid chosen for a grid worker (name and community kept for display and the one-community check). */
export interface ChosenGrid {
  code: string
  name: string
  communityCode?: string
}

/** What the account form holds. */
export interface AccountFormState {
  role: StaffRole | undefined
  username: string
  displayName: string
  phone: string
  grids: ChosenGrid[]
  communityCode?: string
  streetCode?: string
  departmentCode?: string
}

const MESSAGES: Record<AccountField, (code: string) => string> = {
  role: () => '请选择角色',
  username: (code) => (code === 'username_taken' ? '该用户名已被使用，请换一个' : '用户名为 3–64 位小写字母、数字或 . _ -，以字母或数字开头'),
  displayName: (code) => (code === 'too_big' ? '姓名不超过 32 字' : '请填写姓名'),
  phone: () => '请填写 11 位手机号，或留空',
  gridCodes: (code) => (code === 'not_found' ? '所选网格不在您的管理范围内' : code === 'custom' ? '请至少选择一个网格（同一社区内，最多 10 个）' : '网格须属于同一社区，最多 10 个，不能重复'),
  communityCode: (code) => (code === 'not_found' ? '所选社区不在您的管理范围内' : '请选择社区'),
  streetCode: (code) => (code === 'not_found' ? '所选街道不在您的管理范围内' : '请选择街道'),
  departmentCode: (code) => (code === 'not_found' ? '所选部门不存在' : '请选择部门')
}

/** The form field a request path belongs to ("gridCodes.2" → gridCodes). */
export function accountFieldOf(path: string): AccountField | undefined {
  const head = path.split('.')[0] ?? ''
  return (ACCOUNT_FIELDS as readonly string[]).includes(head) ? (head as AccountField) : undefined
}

/** Issues (from the shared schema or the server's 400) as one Chinese message per field. */
export function accountFieldErrors(issues: readonly PathIssue[]): Partial<Record<AccountField, string>> {
  const out: Partial<Record<AccountField, string>> = {}
  for (const issue of issues) {
    const field = accountFieldOf(issue.path)
    if (field && !out[field]) out[field] = MESSAGES[field](issue.code)
  }
  return out
}

/** Only the scope field the role uses is sent (docs/accounts-and-duty.md). */
function scopeOf(state: AccountFormState, role: StaffRole): Pick<CreateAccountInput, 'gridCodes' | 'communityCode' | 'streetCode' | 'departmentCode'> {
  if (role === 'grid_worker') return state.grids.length ? { gridCodes: state.grids.map((g) => g.code) } : {}
  if (role === 'community_staff') return state.communityCode ? { communityCode: state.communityCode } : {}
  if (role === 'street_admin') return state.streetCode ? { streetCode: state.streetCode } : {}
  if (role === 'department_staff') return state.departmentCode ? { departmentCode: state.departmentCode } : {}
  return {}
}

/** Grids of several communities are refused by the server; the form says so before sending. */
export function gridsOfOneCommunity(grids: readonly ChosenGrid[]): boolean {
  return new Set(grids.map((g) => g.communityCode).filter(Boolean)).size <= 1
}

/** The body of `POST /api/admin/accounts`, checked with the shared schema. */
export function buildCreate(state: AccountFormState): { body?: CreateAccountInput; errors: Partial<Record<AccountField, string>> } {
  if (!state.role) return { errors: { role: MESSAGES.role('') } }
  const raw = {
    role: state.role,
    username: state.username,
    displayName: state.displayName,
    ...(state.phone.trim() ? { phone: state.phone.trim() } : {}),
    ...scopeOf(state, state.role)
  }
  const parsed = CreateAccountSchema.safeParse(raw)
  const errors = parsed.success ? {} : accountFieldErrors(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), code: i.code })))
  if (state.role === 'grid_worker' && !gridsOfOneCommunity(state.grids)) errors.gridCodes = MESSAGES.gridCodes('several')
  return Object.keys(errors).length || !parsed.success ? { errors } : { body: parsed.data, errors }
}

/** The body of `PATCH /api/admin/accounts/:id`: only what changed (scope only when it was edited). */
export function buildUpdate(account: AccountView, state: AccountFormState, scopeTouched: boolean): { body?: UpdateAccountInput; errors: Partial<Record<AccountField, string>>; unchanged?: boolean } {
  const raw: UpdateAccountInput = {}
  if (state.displayName.trim() !== account.displayName) raw.displayName = state.displayName
  const phone = state.phone.trim()
  if (phone !== (account.phone ?? '')) raw.phone = phone ? phone : null
  if (scopeTouched) Object.assign(raw, scopeOf(state, account.role))
  if (Object.keys(raw).length === 0) return { errors: {}, unchanged: true }
  const parsed = UpdateAccountSchema.safeParse(raw)
  const errors = parsed.success ? {} : accountFieldErrors(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), code: i.code })))
  if (account.role === 'grid_worker' && scopeTouched && !gridsOfOneCommunity(state.grids)) errors.gridCodes = MESSAGES.gridCodes('several')
  if (account.role === 'grid_worker' && scopeTouched && state.grids.length === 0) errors.gridCodes = MESSAGES.gridCodes('custom')
  return Object.keys(errors).length || !parsed.success ? { errors } : { body: parsed.data, errors }
}
