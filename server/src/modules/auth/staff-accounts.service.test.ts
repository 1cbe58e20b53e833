import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase } from '../../../test/db'
import { createCommunity, createDepartment, createGrid, createStreet } from '../../../test/factories'
import { AppError } from '../../errors'
import { verifyPassword } from './passwords'
import { RefreshToken } from './refresh-token.entity'
import { startSession } from './sessions.service'
import { createStaffAccount, enableStaffTotp, setStaffDisabled, setStaffPassword } from './staff-accounts.service'
import { User } from './user.entity'
import { testConfig } from '../../config'
import { createLogger } from '../../logger'

let db: TestDatabase
let grid: { code: string; communityCode: string; streetCode: string }
const deps = () => ({ ds: db.ds, now: () => new Date() })
const PASSWORD = 'Initial#Pass-2024'

beforeAll(async () => {
  db = await openTestDatabase()
  const street = await createStreet(db.ds, '140213066', '水泊寺街道')
  const community = await createCommunity(db.ds, street.code, '140213066001', '永和社区')
  grid = await createGrid(db.ds, { code: '140213066001-01', communityCode: community.code, streetCode: street.code, lat: 40.1, lng: 113.3 })
  await createDepartment(db.ds, 'housing', '住建局')
})
afterAll(async () => {
  await db.close()
})

async function appError(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`)
  return err
}

describe('createStaffAccount', () => {
  it('creates a grid worker with the grid’s community and street filled in, and an argon2id hash', async () => {
    const { user, totpUri } = await createStaffAccount(deps(), { username: 'Grid.One', password: PASSWORD, role: 'grid_worker', displayName: '网格员一', gridCode: grid.code })
    expect(totpUri).toBeUndefined()
    const row = await db.ds.getRepository(User).findOneByOrFail({ id: user.id })
    expect(row).toMatchObject({ username: 'grid.one', role: 'grid_worker', gridCode: grid.code, communityCode: grid.communityCode, streetCode: grid.streetCode })
    expect(row.passwordHash).toMatch(/^\$argon2id\$/)
    expect(await verifyPassword(row.passwordHash, PASSWORD)).toBe(true)
  })

  it('gives a district admin an authenticator at once', async () => {
    const { user, totpUri } = await createStaffAccount(deps(), { username: 'district.one', password: PASSWORD, role: 'district_admin', displayName: '区管理员' })
    expect(totpUri).toMatch(/^otpauth:\/\/totp\//)
    expect((await db.ds.getRepository(User).findOneByOrFail({ id: user.id })).totpSecret).toBeTruthy()
  })

  it('requires the scope code of the role', async () => {
    const err = await appError(createStaffAccount(deps(), { username: 'no.scope', password: PASSWORD, role: 'community_staff', displayName: '社区' }))
    expect([err.status, err.extra.errors?.[0]?.path]).toEqual([400, 'communityCode'])
  })

  it('refuses a scope that does not exist', async () => {
    const err = await appError(createStaffAccount(deps(), { username: 'bad.dept', password: PASSWORD, role: 'department_staff', displayName: '部门', departmentCode: 'nope' }))
    expect(err.status).toBe(404)
  })

  it('refuses a weak password', async () => {
    const err = await appError(createStaffAccount(deps(), { username: 'weak.one', password: 'password123', role: 'street_admin', displayName: '街道', streetCode: '140213066' }))
    expect([err.status, err.code]).toEqual([400, 'weak_password'])
  })

  it('refuses a taken username, whatever its case', async () => {
    await createStaffAccount(deps(), { username: 'dept.one', password: PASSWORD, role: 'department_staff', displayName: '住建', departmentCode: 'housing' })
    const err = await appError(createStaffAccount(deps(), { username: 'DEPT.ONE', password: PASSWORD, role: 'department_staff', displayName: '住建', departmentCode: 'housing' }))
    expect(err.status).toBe(409)
  })
})

describe('account maintenance', () => {
  const appDeps = () => ({ ...deps(), config: testConfig(), log: createLogger('silent') })

  it('setStaffPassword sets a new password, unlocks the account and ends its sign-ins', async () => {
    const { user } = await createStaffAccount(deps(), { username: 'reset.me', password: PASSWORD, role: 'street_admin', displayName: '街道', streetCode: '140213066' })
    await db.ds.getRepository(User).update({ id: user.id }, { failedLogins: 3, lockedUntil: new Date(Date.now() + 600_000) })
    await startSession(appDeps(), user)
    await setStaffPassword(deps(), 'reset.me', 'Another#Pass-2024')
    const row = await db.ds.getRepository(User).findOneByOrFail({ id: user.id })
    expect(row).toMatchObject({ failedLogins: 0, lockedUntil: null })
    expect(await verifyPassword(row.passwordHash, 'Another#Pass-2024')).toBe(true)
    const tokens = await db.ds.getRepository(RefreshToken).findBy({ userId: user.id })
    expect(tokens.every((r) => r.revokedAt !== null)).toBe(true)
  })

  it('enableStaffTotp replaces the secret and forgets the last used step', async () => {
    const { user } = await createStaffAccount(deps(), { username: 'totp.me', password: PASSWORD, role: 'district_admin', displayName: '区' })
    const before = await db.ds.getRepository(User).findOneByOrFail({ id: user.id })
    const { secret } = await enableStaffTotp(deps(), 'totp.me')
    const after = await db.ds.getRepository(User).findOneByOrFail({ id: user.id })
    expect(after.totpSecret).toBe(secret)
    expect(after.totpSecret).not.toBe(before.totpSecret)
    expect(after.totpLastStep).toBeNull()
  })

  it('setStaffDisabled disables the account and ends its sign-ins', async () => {
    const { user } = await createStaffAccount(deps(), { username: 'leaver', password: PASSWORD, role: 'street_admin', displayName: '街道', streetCode: '140213066' })
    await startSession(appDeps(), user)
    await setStaffDisabled(deps(), 'leaver', true)
    expect((await db.ds.getRepository(User).findOneByOrFail({ id: user.id })).disabled).toBe(true)
    const tokens = await db.ds.getRepository(RefreshToken).findBy({ userId: user.id })
    expect(tokens.length).toBe(1)
    expect(tokens.every((r) => r.revokedAt !== null)).toBe(true)
  })

  it('answers 404 for an unknown username', async () => {
    expect((await appError(setStaffDisabled(deps(), 'ghost', true))).status).toBe(404)
  })
})
