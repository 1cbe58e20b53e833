import { STAFF_ROLES, type StaffRole } from '@palm/shared'
import type { AppDeps } from '../../deps'
import { withWrite } from '../../db/tx'
import { BadRequestError, ConflictError, NotFoundError } from '../../errors'
import { Community, Department, Grid } from '../territory/territory.entity'
import { assertStrongPassword } from './password-policy'
import { hashPassword } from './passwords'
import { revokeAllSessions } from './sessions.service'
import { normalizeUsername } from './staff-sign-in.service'
import { newTotpSecret, totpUri } from './totp'
import { newUserRow } from './users.repo'
import { User } from './user.entity'

type Deps = Pick<AppDeps, 'ds' | 'now'>

export interface CreateStaffInput {
  username: string
  password: string
  role: StaffRole
  displayName: string
  gridCode?: string
  communityCode?: string
  streetCode?: string
  departmentCode?: string
}

/** Which scope code each staff role must carry (district admins act for the whole district). */
const SCOPE_FIELD: Record<StaffRole, 'gridCode' | 'communityCode' | 'streetCode' | 'departmentCode' | null> = {
  grid_worker: 'gridCode',
  community_staff: 'communityCode',
  street_admin: 'streetCode',
  department_staff: 'departmentCode',
  district_admin: null
}

const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/

export function isStaffRoleName(role: string): role is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(role)
}

/**
 * The full scope of a staff account: the code its role needs, checked against the territory, with
 * the parents filled in (a grid's community and street), so scope checks at any level just work.
 * @throws BadRequestError when the code is missing, NotFoundError when it names nothing
 */
async function resolveScope(deps: Deps, input: CreateStaffInput): Promise<Partial<User>> {
  const field = SCOPE_FIELD[input.role]
  if (!field) return {}
  const code = input[field]
  if (!code) throw new BadRequestError('validation_failed', `A ${input.role} needs ${field}.`, [{ path: field, code: 'required', message: 'is required for this role' }])
  const manager = deps.ds.manager
  if (field === 'gridCode') {
    const grid = await manager.findOneBy(Grid, { code })
    if (!grid) throw new NotFoundError(`No grid ${code}.`)
    return { gridCode: grid.code, communityCode: grid.communityCode, streetCode: grid.streetCode }
  }
  if (field === 'communityCode') {
    const community = await manager.findOneBy(Community, { code })
    if (!community) throw new NotFoundError(`No community ${code}.`)
    return { communityCode: community.code, streetCode: community.streetCode }
  }
  if (field === 'departmentCode') {
    if (!(await manager.findOneBy(Department, { code }))) throw new NotFoundError(`No department ${code}.`)
    return { departmentCode: code }
  }
  return { streetCode: code }
}

/**
 * Creates a staff account with a policy-checked password. District admins get TOTP at once (they
 * cannot sign in without it); the returned URI is shown once, for the authenticator app.
 * @throws BadRequestError `validation_failed` / `weak_password`, ConflictError for a taken username
 */
export async function createStaffAccount(deps: Deps, input: CreateStaffInput): Promise<{ user: User; totpUri?: string }> {
  const username = normalizeUsername(input.username)
  if (!USERNAME_PATTERN.test(username)) {
    throw new BadRequestError('validation_failed', 'Usernames are 3–64 of a-z, 0-9, ".", "_" and "-".', [{ path: 'username', code: 'invalid_string', message: 'is not a valid username' }])
  }
  assertStrongPassword(input.password, username, 'password')
  const scope = await resolveScope(deps, input)
  if (await deps.ds.getRepository(User).findOneBy({ username })) throw new ConflictError('conflict', `The username ${username} is taken.`)
  const totpSecret = input.role === 'district_admin' ? newTotpSecret() : null
  const user = newUserRow(input.role, input.displayName, deps.now(), { ...scope, username, passwordHash: await hashPassword(input.password), totpSecret })
  await withWrite(deps.ds, (em) => em.getRepository(User).insert(user))
  return totpSecret ? { user, totpUri: totpUri(totpSecret, username) } : { user }
}

async function findStaff(deps: Deps, username: string): Promise<User> {
  const user = await deps.ds.getRepository(User).findOneBy({ username: normalizeUsername(username) })
  if (!user) throw new NotFoundError(`No account ${username}.`)
  return user
}

/** Sets a new (policy-checked) password, unlocks the account and ends its sign-ins. */
export async function setStaffPassword(deps: Deps, username: string, password: string): Promise<User> {
  const user = await findStaff(deps, username)
  assertStrongPassword(password, user.username, 'password')
  const passwordHash = await hashPassword(password)
  await withWrite(deps.ds, (em) => em.getRepository(User).update({ id: user.id }, { passwordHash, failedLogins: 0, lockedUntil: null, updatedAt: deps.now() }))
  await revokeAllSessions(deps, user.id)
  return user
}

/** Enrols (or re-enrols) an authenticator: a new secret; codes of the old one stop working. */
export async function enableStaffTotp(deps: Deps, username: string): Promise<{ user: User; secret: string; uri: string }> {
  const user = await findStaff(deps, username)
  const secret = newTotpSecret()
  await withWrite(deps.ds, (em) => em.getRepository(User).update({ id: user.id }, { totpSecret: secret, totpLastStep: null, updatedAt: deps.now() }))
  return { user, secret, uri: totpUri(secret, user.username ?? username) }
}

/** Disables (or re-enables) an account; disabling ends every sign-in at once (SESS-3). */
export async function setStaffDisabled(deps: Deps, username: string, disabled: boolean): Promise<User> {
  const user = await findStaff(deps, username)
  await withWrite(deps.ds, (em) => em.getRepository(User).update({ id: user.id }, { disabled, updatedAt: deps.now() }))
  if (disabled) await revokeAllSessions(deps, user.id)
  return user
}
