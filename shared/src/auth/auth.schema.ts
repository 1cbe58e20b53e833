import { z } from 'zod'
import { RoleSchema, ScopeSchema } from './roles'
import { ConsentViewSchema } from '../privacy/privacy.schema'

/**
 * Limits of the sign-in forms, shared so the staff login page and the server never drift apart.
 * Passwords are long enough for passphrases and verified exactly as typed (no truncation).
 */
export const AuthLimits = {
  passwordMinLength: 10,
  passwordMaxLength: 128,
  usernameMaxLength: 64,
  wechatCodeMaxLength: 128,
  demoKeyMaxLength: 64,
  totpDigits: 6
} as const

const WeChatCode = z.string().trim().min(1).max(AuthLimits.wechatCodeMaxLength)
const TerritoryCode = z.string().trim().min(1).max(32)

/** `POST /api/auth/wechat` (mini-program `wx.login` code) and `POST /api/auth/wechat-web` (OAuth2 snsapi_base code). */
export const WeChatSignInSchema = z.strictObject({ code: WeChatCode })
export type WeChatSignInInput = z.infer<typeof WeChatSignInSchema>

/** `POST /api/auth/staff`. `totp` is required for district admins (and any account with TOTP enrolled). */
export const StaffSignInSchema = z.strictObject({
  username: z.string().trim().min(1).max(AuthLimits.usernameMaxLength),
  password: z.string().min(1).max(AuthLimits.passwordMaxLength),
  totp: z
    .string()
    .regex(/^\d{6}$/, 'must be the 6-digit code of the authenticator app')
    .optional()
})
export type StaffSignInInput = z.infer<typeof StaffSignInSchema>

/** `POST /api/auth/demo` (demo mode only): a persona and, for staff personas, the scope to act for. */
export const DemoSignInSchema = z.strictObject({
  persona: RoleSchema,
  key: z.string().trim().min(1).max(AuthLimits.demoKeyMaxLength).optional(),
  gridCode: TerritoryCode.optional(),
  communityCode: TerritoryCode.optional(),
  streetCode: TerritoryCode.optional(),
  departmentCode: TerritoryCode.optional()
})
export type DemoSignInInput = z.infer<typeof DemoSignInSchema>

/** `POST /api/auth/refresh`: a refresh token is single-use; the answer carries its successor. */
export const RefreshSessionSchema = z.strictObject({ refreshToken: z.string().min(1).max(256) })
export type RefreshSessionInput = z.infer<typeof RefreshSessionSchema>

/** `POST /api/auth/logout`: ends the sign-in of this refresh token, or every sign-in of the caller when none is given. */
export const LogoutSchema = z.strictObject({ refreshToken: z.string().min(1).max(256).optional() })
export type LogoutInput = z.infer<typeof LogoutSchema>

/** `POST /api/me/password` (staff). The new password must pass the password policy (400 `weak_password`). */
export const ChangePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1).max(AuthLimits.passwordMaxLength),
  newPassword: z.string().min(1).max(1024)
})
export type ChangePasswordInput = z.infer<typeof ChangePasswordSchema>

/** `GET /api/me`: who the caller is. Never carries openid, unionid, phone or anything WeChat-secret. */
export const MeViewSchema = z.object({
  id: z.string(),
  role: RoleSchema,
  scope: ScopeSchema,
  displayName: z.string(),
  /** Staff only: the sign-in name. */
  username: z.string().nullable(),
  /** Grid workers only: whether routing may hand them new tickets now. */
  onDuty: z.boolean(),
  /** Whether sign-in asks for an authenticator code. */
  totpEnabled: z.boolean(),
  /**
   * Staff only: the password is a one-time one (new account, admin reset) and must be changed with
   * `POST /api/me/password` first; until then every other /api route answers 403 `password_change_required`.
   */
  mustChangePassword: z.boolean(),
  /** Whether a WeChat account is bound (staff: one-tap sign-in and subscribe messages; residents: always). */
  wechatBound: z.boolean(),
  /** `GET /api/me` only: the resident's consent on the server (policy version and time), null when none or withdrawn. */
  consent: ConsentViewSchema.nullable().optional()
})
export type MeView = z.infer<typeof MeViewSchema>

/** The answer of every sign-in and of refresh. `expiresIn` is the access token's lifetime in seconds. */
export const AuthSessionViewSchema = z.strictObject({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number().int().positive(),
  user: MeViewSchema
})
export type AuthSessionView = z.infer<typeof AuthSessionViewSchema>
