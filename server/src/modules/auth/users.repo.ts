import { randomUUID } from 'node:crypto'
import type { Role } from '@palm/shared'
import type { FindOptionsWhere } from 'typeorm'
import type { AppDeps } from '../../deps'
import { withWrite } from '../../db/tx'
import { User } from './user.entity'

/** A complete users row with every optional column empty; callers set what the account has. */
export function newUserRow(role: Role, displayName: string, now: Date, fields: Partial<User> = {}): User {
  return Object.assign(new User(), {
    id: randomUUID(),
    role,
    displayName,
    openid: null,
    unionid: null,
    openidSource: null,
    username: null,
    passwordHash: null,
    totpSecret: null,
    totpLastStep: null,
    phone: null,
    gridCode: null,
    communityCode: null,
    streetCode: null,
    departmentCode: null,
    onDuty: false,
    disabled: false,
    mustChangePassword: false,
    failedLogins: 0,
    lockedUntil: null,
    demoKey: null,
    synthetic: false,
    createdAt: now,
    updatedAt: now,
    ...fields
  })
}

/**
 * Finds the user matching `where` (a uniquely indexed column), or inserts `candidate`. Two first
 * sign-ins racing (two instances, a double tap) both try the insert; the unique index lets one win
 * and the other reads the winner's row, so there is never a check-then-insert gap.
 */
export async function findOrInsertUser(deps: Pick<AppDeps, 'ds'>, where: FindOptionsWhere<User>, candidate: User): Promise<{ user: User; created: boolean }> {
  const users = deps.ds.getRepository(User)
  const existing = await users.findOneBy(where)
  if (existing) return { user: existing, created: false }
  try {
    await withWrite(deps.ds, (em) => em.getRepository(User).insert(candidate))
    return { user: candidate, created: true }
  } catch (err) {
    const winner = await users.findOneBy(where)
    if (winner) return { user: winner, created: false }
    throw err
  }
}
