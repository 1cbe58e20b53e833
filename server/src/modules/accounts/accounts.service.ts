import { ROLE_SCOPE_FIELD, decodeCursor, encodeCursor, type CreateAccountInput, type ListAccountsQuery, type StaffRole, type UpdateAccountInput } from '@palm/shared'
import { In, Not } from 'typeorm'
import type { AppDeps } from '../../deps'
import { withTx } from '../../db/tx'
import { recordAudit } from '../audit/index'
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors'
import type { Actor } from '../auth/actor'
import { StaffGrid } from '../auth/staff-grid.entity'
import { createStaffAccount, enrolTotpOf, generateOneTimePassword, resolveStaffScope, setDisabledOf, setPasswordOf } from '../auth/staff-accounts.service'
import { replaceStaffGrids } from '../auth/staff-grids.repo'
import { User } from '../auth/user.entity'
import { RosterEntry } from '../duty/duty.entity'
import { accessTo, assertMayCreateRole, assertScopeWithin, scopeCondition, type AccountAccess } from './accounts.scope'

/*
 * Every write to staff accounts from the admin pages goes through this file (so the audit issue has
 * one place to hook). Scope: accounts.scope.ts; contract: docs/accounts-and-duty.md.
 */

export interface AccountRow {
  user: User
  access: AccountAccess
}

export interface AccountSlice {
  items: AccountRow[]
  nextCursor: string | null
}

const notFound = () => new NotFoundError('No such account.')

/** LIKE patterns escape with "!" (a backslash is read differently by MariaDB and SQLite). */
function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`)
}

/** The accounts in the caller's scope matching the filters, by username (keyset on username). */
export async function listAccounts(deps: Pick<AppDeps, 'ds'>, actor: Actor, query: ListAccountsQuery): Promise<AccountSlice> {
  const scope = scopeCondition(actor)
  const qb = deps.ds.getRepository(User).createQueryBuilder('u').where('u.username IS NOT NULL').andWhere(scope.sql, scope.params)
  if (query.role) qb.andWhere('u.role = :role', { role: query.role })
  if (query.streetCode) qb.andWhere('u.street_code = :streetCode', { streetCode: query.streetCode })
  if (query.communityCode) qb.andWhere('u.community_code = :communityCode', { communityCode: query.communityCode })
  if (query.departmentCode) qb.andWhere('u.department_code = :departmentCode', { departmentCode: query.departmentCode })
  if (query.gridCode) {
    qb.andWhere((sub) => {
      const exists = sub.subQuery().select('1').from(StaffGrid, 'sg').where('sg.user_id = u.id').andWhere('sg.grid_code = :gridCode').getQuery()
      return `EXISTS ${exists}`
    })
    qb.setParameter('gridCode', query.gridCode)
  }
  if (query.disabled !== undefined) qb.andWhere('u.disabled = :disabled', { disabled: query.disabled ? 1 : 0 })
  if (query.q) {
    const q = escapeLike(query.q.toLowerCase())
    qb.andWhere("(u.username LIKE :prefix ESCAPE '!' OR u.display_name LIKE :contains ESCAPE '!')", { prefix: `${q}%`, contains: `%${escapeLike(query.q)}%` })
  }
  if (query.cursor) {
    const [after] = decodeCursor(query.cursor) ?? []
    if (typeof after !== 'string') throw new ValidationError([{ path: 'cursor', code: 'invalid_cursor', message: 'is not a cursor of this list' }])
    qb.andWhere('u.username > :after', { after })
  }
  const rows = await qb
    .orderBy('u.username', 'ASC')
    .limit(query.limit + 1)
    .getMany()
  const page = rows.slice(0, query.limit)
  const last = page[page.length - 1]
  return {
    items: page.map((user) => ({ user, access: accessTo(actor, user) ?? 'view' })),
    nextCursor: rows.length > query.limit && last?.username ? encodeCursor([last.username]) : null
  }
}

/** One account the caller may see, or 404 (out of scope looks like unknown). */
export async function getAccount(deps: Pick<AppDeps, 'ds'>, actor: Actor, id: string): Promise<AccountRow> {
  const user = await deps.ds.getRepository(User).findOneBy({ id })
  const access = user ? accessTo(actor, user) : null
  if (!user || !access) throw notFound()
  return { user, access }
}

/** An account the caller manages (not just sees), or 404; never the caller's own (403: use 我的). */
async function managedAccount(deps: Pick<AppDeps, 'ds'>, actor: Actor, id: string): Promise<User> {
  const { user, access } = await getAccount(deps, actor, id)
  if (access !== 'manage') throw notFound()
  if (user.id === actor.id) throw new ForbiddenError('Change your own account from 我的, not from the accounts list.')
  return user
}

/**
 * Creates a staff account in the caller's scope with a one-time password (shown once; the owner
 * must change it at first sign-in) and, for roles that need one, an authenticator.
 * @throws ForbiddenError (role not creatable by the caller), NotFoundError (scope code unknown or
 *   outside the caller's), ValidationError, ConflictError `username_taken`
 */
export async function createAccount(deps: Pick<AppDeps, 'ds' | 'now'>, actor: Actor, input: CreateAccountInput): Promise<{ row: AccountRow; oneTimePassword: string; totpUri?: string }> {
  assertMayCreateRole(actor, input.role)
  const scope = await resolveStaffScope(deps.ds, input.role, input)
  assertScopeWithin(actor, scope)
  const oneTimePassword = generateOneTimePassword()
  const { user, totpUri } = await createStaffAccount(
    deps,
    { username: input.username, password: oneTimePassword, role: input.role, displayName: input.displayName, phone: input.phone ?? null, mustChangePassword: true },
    scope
  )
  return { row: { user, access: 'manage' }, oneTimePassword, ...(totpUri ? { totpUri } : {}) }
}

const SCOPE_FIELDS = ['gridCodes', 'communityCode', 'streetCode', 'departmentCode'] as const

/**
 * Changes an account's name, phone or scope (a grid worker's grids, a community staff member's
 * community, …). A new scope must lie in the caller's (404 otherwise) and takes effect on the
 * account's next request.
 * @throws NotFoundError, ValidationError (a scope field the role does not use, grids of several communities)
 */
export async function updateAccount(deps: Pick<AppDeps, 'ds' | 'now'>, actor: Actor, id: string, input: UpdateAccountInput): Promise<AccountRow> {
  const user = await managedAccount(deps, actor, id)
  const role = user.role as StaffRole
  const field = ROLE_SCOPE_FIELD[role]
  const misplaced = SCOPE_FIELDS.filter((f) => input[f] !== undefined && f !== field)
  if (misplaced.length) {
    throw new ValidationError(misplaced.map((path) => ({ path, code: 'not_for_role', message: `a ${role} has no ${path}` })))
  }
  const changes: Partial<User> = { updatedAt: deps.now() }
  if (input.displayName !== undefined) changes.displayName = input.displayName
  if (input.phone !== undefined) changes.phone = input.phone
  let gridCodes: string[] | undefined
  if (field && input[field] !== undefined) {
    const scope = await resolveStaffScope(deps.ds, role, input)
    assertScopeWithin(actor, scope)
    const { gridCodes: grids, ...columns } = scope
    Object.assign(changes, columns)
    if (field === 'gridCodes') gridCodes = grids
  }
  await withTx(deps.ds, async (em) => {
    await em.getRepository(User).update({ id: user.id }, changes)
    await recordAudit(em, { action: 'account.update', objectType: 'user', objectId: user.id, detail: { fields: Object.keys(input), gridCodes } })
    if (gridCodes) {
      await replaceStaffGrids(em, user.id, gridCodes)
      // Roster lines of grids the worker left go with them (a roster names only the grid's workers).
      await em.getRepository(RosterEntry).delete({ userId: user.id, gridCode: Not(In(gridCodes)) })
    }
  })
  return { user: Object.assign(user, changes), access: 'manage' }
}

/** Disables (ends every sign-in at once) or enables (and unlocks) an account the caller manages. */
export async function setAccountDisabled(deps: Pick<AppDeps, 'ds' | 'now'>, actor: Actor, id: string, disabled: boolean): Promise<AccountRow> {
  const user = await managedAccount(deps, actor, id)
  return { user: await setDisabledOf(deps, user, disabled), access: 'manage' }
}

/** A new one-time password (shown once): unlocks the account, ends its sign-ins, forces a change. */
export async function resetAccountPassword(deps: Pick<AppDeps, 'ds' | 'now'>, actor: Actor, id: string): Promise<{ oneTimePassword: string }> {
  const user = await managedAccount(deps, actor, id)
  const oneTimePassword = generateOneTimePassword()
  await setPasswordOf(deps, user, oneTimePassword, true)
  return { oneTimePassword }
}

/** A new authenticator for the account (the old one stops working); its URI is shown once. */
export async function resetAccountTotp(deps: Pick<AppDeps, 'ds' | 'now'>, actor: Actor, id: string): Promise<{ totpUri: string }> {
  const user = await managedAccount(deps, actor, id)
  const { uri } = await enrolTotpOf(deps, user)
  return { totpUri: uri }
}
