import type { Role } from '@palm/shared'
import { apiRequest } from './api-client'

/** Staff roles an account can have. */
export type StaffRole = Exclude<Role, 'resident' | 'volunteer'>

/** One staff account as the admin pages show it (`GET /api/admin/accounts`). */
export interface AccountView {
  id: string
  username: string
  role: StaffRole
  displayName: string
  phone?: string
  gridCodes: string[]
  gridNames?: string[]
  communityCode?: string
  communityName?: string
  streetCode?: string
  streetName?: string
  departmentCode?: string
  disabled: boolean
  locked: boolean
  lockedUntil?: string
  hasTotp: boolean
  wechatBound: boolean
  mustChangePassword: boolean
  onDuty: boolean
  createdAt: string
}

export interface AccountFilter {
  role?: StaffRole
  q?: string
  streetCode?: string
  communityCode?: string
  gridCode?: string
  disabled?: boolean
}

export interface CreateAccountInput {
  role: StaffRole
  username: string
  displayName: string
  phone?: string
  gridCodes?: string[]
  communityCode?: string
  streetCode?: string
  departmentCode?: string
}

export interface UpdateAccountInput {
  displayName?: string
  phone?: string | null
  gridCodes?: string[]
  communityCode?: string
  streetCode?: string
  departmentCode?: string
}

export interface CreatedAccountView {
  account: AccountView
  oneTimePassword: string
  totpUri?: string
}

const enc = encodeURIComponent

/** Staff accounts (账号管理), each admin within their scope; the server checks role and scope again. */
export const accountsService = {
  list: (filter: AccountFilter, cursor?: string) =>
    apiRequest<{ items: AccountView[]; nextCursor: string | null }>({
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
  resetPassword: (id: string) => apiRequest<{ oneTimePassword: string }>({ method: 'POST', path: `/api/admin/accounts/${enc(id)}/reset-password` }),
  resetTotp: (id: string) => apiRequest<{ totpUri: string }>({ method: 'POST', path: `/api/admin/accounts/${enc(id)}/reset-totp` })
}
