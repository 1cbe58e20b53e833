import { randomBytes } from 'node:crypto'
import { ROLE_SCOPE_FIELD, STAFF_ROLES, TOTP_REQUIRED_ROLES, USERNAME_PATTERN, type StaffRole } from '@palm/shared'
import type { DataSource, EntityManager } from 'typeorm'
import { isUniqueViolation } from '../../db/errors'
import type { AppDeps } from '../../deps'
import { withTx } from '../../db/tx'
import { recordAudit } from '../audit/index'
import { BadRequestError, ConflictError, NotFoundError, ValidationError } from '../../errors'
import { Community, Department, Grid, Street } from '../territory/territory.entity'
import { assertStrongPassword, passwordWeakness } from './password-policy'
import { hashPassword } from './passwords'
import { revokeAllSessions } from './sessions.service'
import { normalizeUsername } from './staff-sign-in.service'
import { replaceStaffGrids } from './staff-grids.repo'
import { newTotpSecret, totpUri } from './totp'
import { newUserRow } from './users.repo'
import { User } from './user.entity'

type Deps = Pick<AppDeps, 'ds' | 'now'>

/** The scope codes a staff account may be given; which one counts depends on the role (ROLE_SCOPE_FIELD). */
export interface StaffScopeInput {
  /** A grid worker's grids, the primary first. */
  gridCodes?: readonly string[]
  /** A single grid (the CLI's `--grid`); same as `gridCodes: [gridCode]`. */
  gridCode?: string
  communityCode?: string
  streetCode?: string
  departmentCode?: string
}

export interface CreateStaffInput extends StaffScopeInput {
  username: string
  password: string
  role: StaffRole
  displayName: string
  phone?: string | null
  /** A one-time password (admin-created, generated): the owner must change it at first sign-in. */
  mustChangePassword?: boolean
}

/** The full scope of a staff account, parents filled in, as the users columns and staff_grids hold it. */
export interface ResolvedScope {
  gridCode: string | null
  gridCodes: string[]
  communityCode: string | null
  streetCode: string | null
  departmentCode: string | null
}

const EMPTY_SCOPE: ResolvedScope = { gridCode: null, gridCodes: [], communityCode: null, streetCode: null, departmentCode: null }

export function isStaffRoleName(role: string): role is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(role)
}

const unknownCode = (what: string, code: string) => new NotFoundError(`No ${what} ${code}.`)

/**
 * The full scope of a staff account: the code its role needs, checked against the territory, with
 * the parents filled in (a grid's community and street), so scope checks at any level just work.
 * A grid worker's grids must all lie in one community.
 * @throws ValidationError when the role's code is missing or the grids span communities,
 *   NotFoundError when a code names nothing
 */
export async function resolveStaffScope(db: DataSource | EntityManager, role: StaffRole, input: StaffScopeInput): Promise<ResolvedScope> {
  const field = ROLE_SCOPE_FIELD[role]
  if (!field) return EMPTY_SCOPE
  const manager = 'manager' in db ? db.manager : db
  if (field === 'gridCodes') {
    const codes = input.gridCodes?.length ? [...input.gridCodes] : input.gridCode ? [input.gridCode] : []
    if (!codes.length) throw new ValidationError([{ path: 'gridCodes', code: 'required', message: 'is required for a grid worker' }], 'A grid worker needs at least one grid.')
    const grids: Grid[] = []
    for (const code of codes) {
      const grid = await manager.findOneBy(Grid, { code })
      if (!grid) throw unknownCode('grid', code)
      grids.push(grid)
    }
    const [first] = grids
    if (!first) throw new ValidationError([{ path: 'gridCodes', code: 'required', message: 'is required for a grid worker' }])
    const other = grids.findIndex((g) => g.communityCode !== first.communityCode)
    if (other >= 0) {
      throw new ValidationError(
        [{ path: `gridCodes.${other}`, code: 'other_community', message: 'all grids of a worker must lie in one community' }],
        'A grid worker’s grids must lie in one community.'
      )
    }
    return { ...EMPTY_SCOPE, gridCode: first.code, gridCodes: grids.map((g) => g.code), communityCode: first.communityCode, streetCode: first.streetCode }
  }
  const code = input[field]
  if (!code) throw new ValidationError([{ path: field, code: 'required', message: `is required for ${role}` }], `A ${role} needs ${field}.`)
  if (field === 'communityCode') {
    const community = await manager.findOneBy(Community, { code })
    if (!community) throw unknownCode('community', code)
    return { ...EMPTY_SCOPE, communityCode: community.code, streetCode: community.streetCode }
  }
  if (field === 'departmentCode') {
    if (!(await manager.findOneBy(Department, { code }))) throw unknownCode('department', code)
    return { ...EMPTY_SCOPE, departmentCode: code }
  }
  if (!(await manager.findOneBy(Street, { code }))) throw unknownCode('street', code)
  return { ...EMPTY_SCOPE, streetCode: code }
}

/** A random password that passes the policy, to hand over once (it must be changed at first sign-in). */
export function generateOneTimePassword(): string {
  for (;;) {
    const candidate = randomBytes(12).toString('base64url')
    if (!passwordWeakness(candidate)) return candidate
  }
}

/** 400 at `username` unless it is a valid sign-in name; returns it in the stored (lower-case) form. */
export function checkUsername(username: string): string {
  const normalized = normalizeUsername(username)
  if (!USERNAME_PATTERN.test(normalized)) {
    throw new BadRequestError('validation_failed', 'Usernames are 3–64 of a-z, 0-9, ".", "_" and "-".', [{ path: 'username', code: 'invalid_string', message: 'is not a valid username' }])
  }
  return normalized
}

const usernameTaken = (username: string) => new ConflictError('username_taken', `The username ${username} is taken.`)

/**
 * Creates a staff account with a policy-checked password, its grids (grid workers) in the same
 * write. Roles of TOTP_REQUIRED_ROLES get an authenticator at once (they cannot sign in without
 * it); the returned URI is shown once, for the authenticator app.
 * @throws BadRequestError `validation_failed` / `weak_password`, NotFoundError for an unknown scope
 *   code, ConflictError `username_taken`
 */
export async function createStaffAccount(deps: Deps, input: CreateStaffInput, scope?: ResolvedScope): Promise<{ user: User; totpUri?: string }> {
  const username = checkUsername(input.username)
  assertStrongPassword(input.password, username, 'password')
  const resolved = scope ?? (await resolveStaffScope(deps.ds, input.role, input))
  if (await deps.ds.getRepository(User).findOneBy({ username })) throw usernameTaken(username)
  const totpSecret = (TOTP_REQUIRED_ROLES as readonly string[]).includes(input.role) ? newTotpSecret() : null
  const { gridCodes, ...columns } = resolved
  const user = newUserRow(input.role, input.displayName, deps.now(), {
    ...columns,
    username,
    phone: input.phone ?? null,
    passwordHash: await hashPassword(input.password),
    totpSecret,
    mustChangePassword: input.mustChangePassword ?? false
  })
  try {
    await withTx(deps.ds, async (em) => {
      await em.getRepository(User).insert(user)
      if (gridCodes.length) await replaceStaffGrids(em, user.id, gridCodes)
      await recordAudit(em, { action: 'account.create', objectType: 'user', objectId: user.id, detail: { role: input.role, username, ...columns, gridCodes } })
    })
  } catch (err) {
    if (isUniqueViolation(err)) throw usernameTaken(username)
    throw err
  }
  return totpSecret ? { user, totpUri: totpUri(totpSecret, username) } : { user }
}

async function findStaff(deps: Deps, username: string): Promise<User> {
  const user = await deps.ds.getRepository(User).findOneBy({ username: normalizeUsername(username) })
  if (!user) throw new NotFoundError(`No account ${username}.`)
  return user
}

/**
 * Sets a new (policy-checked) password, unlocks the account and ends its sign-ins. With
 * `mustChange`, the password is a one-time one that its owner must replace at the next sign-in.
 */
export async function setStaffPassword(deps: Deps, username: string, password: string, mustChange = false): Promise<User> {
  const user = await findStaff(deps, username)
  return setPasswordOf(deps, user, password, mustChange)
}

/** setStaffPassword for a loaded account (the admin reset). */
export async function setPasswordOf(deps: Deps, user: User, password: string, mustChange: boolean): Promise<User> {
  assertStrongPassword(password, user.username, 'password')
  const changes = { passwordHash: await hashPassword(password), failedLogins: 0, lockedUntil: null, mustChangePassword: mustChange, updatedAt: deps.now() }
  await withTx(
    deps.ds,
    async (em) => (
      await em.getRepository(User).update({ id: user.id }, changes),
      await recordAudit(em, { action: 'account.reset_password', objectType: 'user', objectId: user.id, detail: { mustChange } })
    )
  )
  await revokeAllSessions(deps, user.id)
  return Object.assign(user, changes)
}

/** Enrols (or re-enrols) an authenticator: a new secret; codes of the old one stop working. */
export async function enableStaffTotp(deps: Deps, username: string): Promise<{ user: User; secret: string; uri: string }> {
  return enrolTotpOf(deps, await findStaff(deps, username))
}

/** enableStaffTotp for a loaded account (the admin reset). */
export async function enrolTotpOf(deps: Deps, user: User): Promise<{ user: User; secret: string; uri: string }> {
  const secret = newTotpSecret()
  await withTx(
    deps.ds,
    async (em) => (
      await em.getRepository(User).update({ id: user.id }, { totpSecret: secret, totpLastStep: null, updatedAt: deps.now() }),
      await recordAudit(em, { action: 'account.reset_totp', objectType: 'user', objectId: user.id })
    )
  )
  return { user: Object.assign(user, { totpSecret: secret, totpLastStep: null }), secret, uri: totpUri(secret, user.username ?? user.id) }
}

/** Disables (or re-enables) an account; disabling ends every sign-in at once (SESS-3). */
export async function setStaffDisabled(deps: Deps, username: string, disabled: boolean): Promise<User> {
  return setDisabledOf(deps, await findStaff(deps, username), disabled)
}

/**
 * setStaffDisabled for a loaded account: disabling ends every sign-in at once (SESS-3), the next
 * request with an old access token is refused; enabling also clears a lock.
 */
export async function setDisabledOf(deps: Deps, user: User, disabled: boolean): Promise<User> {
  const changes = disabled ? { disabled, updatedAt: deps.now() } : { disabled, failedLogins: 0, lockedUntil: null, updatedAt: deps.now() }
  await withTx(
    deps.ds,
    async (em) => (
      await em.getRepository(User).update({ id: user.id }, changes),
      await recordAudit(em, { action: disabled ? 'account.disable' : 'account.enable', objectType: 'user', objectId: user.id })
    )
  )
  if (disabled) await revokeAllSessions(deps, user.id)
  return Object.assign(user, changes)
}
