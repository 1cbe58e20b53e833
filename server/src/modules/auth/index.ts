export { createAuthRouter, LOGIN_ATTEMPTS_PER_MINUTE } from './auth.routes'
export { presentMe, presentSession } from './auth.presenter'
export { actorFromUser, type Actor } from './actor'
export { isInScope, type ScopedObject } from './policy'
export { User } from './user.entity'
export { RefreshToken } from './refresh-token.entity'
export { startSession, rotateRefreshToken, revokeAllSessions, revokeFamily, refreshLifetimeFor } from './sessions.service'
export { passwordWeakness, assertStrongPassword } from './password-policy'
export { hashPassword, verifyPassword } from './passwords'
export {
  createStaffAccount,
  setStaffPassword,
  enableStaffTotp,
  setStaffDisabled,
  isStaffRoleName,
  generateOneTimePassword,
  resolveStaffScope,
  type CreateStaffInput
} from './staff-accounts.service'
export { actorGridCodes } from './actor'
export { StaffGrid } from './staff-grid.entity'
export { totpRequired } from './staff-sign-in.service'
export { LOCKOUT, AccountLockedError } from './staff-sign-in.service'
export { demoSignInAllowed } from './demo-sign-in.service'
