import { z } from 'zod'
import { AuthLimits } from '../auth/auth.schema'
import { STAFF_ROLES, type StaffRole } from '../auth/roles'
import { PageLimits } from '../common/pagination'

/** Limits of the account forms, shared so the admin pages and the server never drift apart. */
export const AccountLimits = {
  usernameMinLength: 3,
  usernameMaxLength: AuthLimits.usernameMaxLength,
  displayNameMaxLength: 32,
  /** A grid worker may cover several grids of one community. */
  maxGridsPerWorker: 10,
  searchMaxLength: 64,
  codeMaxLength: 32,
  defaultLimit: PageLimits.defaultLimit,
  maxLimit: PageLimits.maxLimit
} as const

/** Sign-in names: 3–64 of a-z, 0-9, ".", "_", "-", starting with a letter or digit (stored in lower case). */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/
/** A mainland mobile number (docs/security.md VAL-1). */
export const PHONE_PATTERN = /^1[3-9]\d{9}$/

/** Roles whose accounts must sign in with an authenticator code (TOTP) on top of the password. */
export const TOTP_REQUIRED_ROLES = ['district_admin'] as const satisfies readonly StaffRole[]

/** Which scope field each staff role must carry (district admins act for the whole district). */
export const ROLE_SCOPE_FIELD: Record<StaffRole, 'gridCodes' | 'communityCode' | 'streetCode' | 'departmentCode' | null> = {
  grid_worker: 'gridCodes',
  community_staff: 'communityCode',
  street_admin: 'streetCode',
  department_staff: 'departmentCode',
  district_admin: null
}

export const StaffRoleSchema = z.enum(STAFF_ROLES)

const Code = z.string().trim().min(1).max(AccountLimits.codeMaxLength)
export const UsernameSchema = z.string().trim().toLowerCase().regex(USERNAME_PATTERN, 'use 3–64 of a-z, 0-9, ".", "_" and "-", starting with a letter or digit')
const DisplayName = z.string().trim().min(1).max(AccountLimits.displayNameMaxLength)
const Phone = z.string().trim().regex(PHONE_PATTERN, 'must be an 11-digit mobile number')
const GridCodes = z
  .array(Code)
  .min(1)
  .max(AccountLimits.maxGridsPerWorker)
  .refine((codes) => new Set(codes).size === codes.length, 'must not repeat a grid')

const QueryFlag = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1'))

/**
 * `GET /api/admin/accounts`: staff accounts in the caller's scope, by username. `q` matches the
 * start of the username or any part of the display name; the codes narrow to a territory.
 */
export const ListAccountsQuerySchema = z.object({
  role: StaffRoleSchema.optional(),
  q: z.string().trim().min(1).max(AccountLimits.searchMaxLength).optional(),
  streetCode: Code.optional(),
  communityCode: Code.optional(),
  gridCode: Code.optional(),
  departmentCode: Code.optional(),
  disabled: QueryFlag,
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(AccountLimits.maxLimit).default(AccountLimits.defaultLimit)
})
export type ListAccountsQuery = z.infer<typeof ListAccountsQuerySchema>

/**
 * `POST /api/admin/accounts`. The role decides which scope field is required (ROLE_SCOPE_FIELD):
 * grid workers `gridCodes` (one or more grids of one community; the first is the primary grid),
 * community staff `communityCode`, street admins `streetCode`, department staff `departmentCode`.
 * Scope fields the role does not use are ignored; the server fills in the parents (a grid's
 * community and street). The password is never chosen here: the server answers a one-time one.
 */
export const CreateAccountSchema = z
  .strictObject({
    role: StaffRoleSchema,
    username: UsernameSchema,
    displayName: DisplayName,
    phone: Phone.optional(),
    gridCodes: GridCodes.optional(),
    communityCode: Code.optional(),
    streetCode: Code.optional(),
    departmentCode: Code.optional()
  })
  .superRefine((input, ctx) => {
    const field = ROLE_SCOPE_FIELD[input.role]
    if (field && input[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `is required for ${input.role}` })
  })
export type CreateAccountInput = z.infer<typeof CreateAccountSchema>

/**
 * `PATCH /api/admin/accounts/:id`: the fields to change (at least one). `phone: null` clears the
 * phone. A scope field replaces the account's scope (grid workers: `gridCodes`, the first primary);
 * a scope field the account's role does not use is refused (400 at its path).
 */
export const UpdateAccountSchema = z
  .strictObject({
    displayName: DisplayName.optional(),
    phone: Phone.nullable().optional(),
    gridCodes: GridCodes.optional(),
    communityCode: Code.optional(),
    streetCode: Code.optional(),
    departmentCode: Code.optional()
  })
  .refine((input) => Object.values(input).some((v) => v !== undefined), { message: 'name at least one field to change' })
export type UpdateAccountInput = z.infer<typeof UpdateAccountSchema>

/** One staff account as the admin pages show it. Never hashes, secrets, openid or unionid. */
export const AccountViewSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: StaffRoleSchema,
  displayName: z.string(),
  phone: z.string().optional(),
  /** Grid workers: every grid they cover, the primary grid first. Empty for other roles. */
  gridCodes: z.array(z.string()),
  gridNames: z.array(z.string()).optional(),
  communityCode: z.string().optional(),
  communityName: z.string().optional(),
  streetCode: z.string().optional(),
  streetName: z.string().optional(),
  departmentCode: z.string().optional(),
  disabled: z.boolean(),
  /** Locked after repeated failed sign-ins; `lockedUntil` says until when. A password reset unlocks. */
  locked: z.boolean(),
  lockedUntil: z.string().optional(),
  hasTotp: z.boolean(),
  wechatBound: z.boolean(),
  mustChangePassword: z.boolean(),
  /** Grid workers: the duty switch (not the roster); false for other roles. */
  onDuty: z.boolean(),
  createdAt: z.string()
})
export type AccountView = z.infer<typeof AccountViewSchema>

export const AccountListViewSchema = z.object({ items: z.array(AccountViewSchema), nextCursor: z.string().nullable() })
export type AccountListView = z.infer<typeof AccountListViewSchema>

/** `POST /api/admin/accounts` answer: the one-time password (and authenticator URI) are shown once. */
export const CreatedAccountViewSchema = z.object({
  account: AccountViewSchema,
  oneTimePassword: z.string(),
  /** otpauth:// URI for the authenticator app (accounts of TOTP_REQUIRED_ROLES); show it as a QR code once. */
  totpUri: z.string().optional()
})
export type CreatedAccountView = z.infer<typeof CreatedAccountViewSchema>

/** `POST /api/admin/accounts/:id/reset-password` answer: shown once; the owner must change it at sign-in. */
export const ResetPasswordViewSchema = z.object({ oneTimePassword: z.string() })
export type ResetPasswordView = z.infer<typeof ResetPasswordViewSchema>

/** `POST /api/admin/accounts/:id/reset-totp` answer: a new authenticator; the old one stops working. */
export const ResetTotpViewSchema = z.object({ totpUri: z.string() })
export type ResetTotpView = z.infer<typeof ResetTotpViewSchema>

/** `POST /api/me/wechat`: a `wx.login` code of the signed-in staff member's WeChat. */
export const BindWeChatSchema = z.strictObject({ code: z.string().trim().min(1).max(AuthLimits.wechatCodeMaxLength) })
export type BindWeChatInput = z.infer<typeof BindWeChatSchema>
