import type { AccountListView, AccountView, CreateAccountInput, CreatedAccountView, ResetPasswordView, ResetTotpView, StaffRole, UpdateAccountInput } from '@palm/shared'
import { apiRequest } from './api-client'

/** The filters of the account list (账号管理). */
export interface AccountFilter {
  role?: StaffRole
  q?: string
  streetCode?: string
  communityCode?: string
  gridCode?: string
  disabled?: boolean
}

const enc = encodeURIComponent

/**
 * Staff accounts (docs/accounts-and-duty.md): district admins manage all, street admins the
 * community staff and grid workers of their street, community staff list their grid workers.
 * The server checks role and scope again on every call (outside the scope: 404).
 */
export const accountsService = {
  list: (filter: AccountFilter, cursor?: string) =>
    apiRequest<AccountListView>({
      path: '/api/admin/accounts',
      query: {
        role: filter.role,
        q: filter.q?.trim() || undefined,
        streetCode: filter.streetCode,
        communityCode: filter.communityCode,
        gridCode: filter.gridCode,
        disabled: filter.disabled === undefined ? undefined : String(filter.disabled),
        cursor
      }
    }),
  get: (id: string) => apiRequest<AccountView>({ path: `/api/admin/accounts/${enc(id)}` }),
  create: (input: CreateAccountInput) => apiRequest<CreatedAccountView>({ method: 'POST', path: '/api/admin/accounts', body: input }),
  update: (id: string, input: UpdateAccountInput) => apiRequest<AccountView>({ method: 'PATCH', path: `/api/admin/accounts/${enc(id)}`, body: input }),
  disable: (id: string) => apiRequest<AccountView>({ method: 'POST', path: `/api/admin/accounts/${enc(id)}/disable` }),
  enable: (id: string) => apiRequest<AccountView>({ method: 'POST', path: `/api/admin/accounts/${enc(id)}/enable` }),
  resetPassword: (id: string) => apiRequest<ResetPasswordView>({ method: 'POST', path: `/api/admin/accounts/${enc(id)}/reset-password` }),
  resetTotp: (id: string) => apiRequest<ResetTotpView>({ method: 'POST', path: `/api/admin/accounts/${enc(id)}/reset-totp` })
}
