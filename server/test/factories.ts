import type { Role } from '@palm/shared'
import type { DataSource } from 'typeorm'
import type { Config } from '../src/config'
import { signAccessToken } from '../src/modules/auth/tokens'
import { StaffGrid } from '../src/modules/auth/staff-grid.entity'
import { User } from '../src/modules/auth/user.entity'
import { newUserRow } from '../src/modules/auth/users.repo'
import { TEST_CONSENT_AT, seedConsent } from '../src/modules/auth/consent-records'
import { Community, Department, Grid, Street } from '../src/modules/territory/territory.entity'

/** A square grid polygon with its south-west corner at (lat, lng). */
export function squarePolygon(lat: number, lng: number, size = 0.01) {
  const ring: Array<[number, number]> = [
    [lng, lat],
    [lng + size, lat],
    [lng + size, lat + size],
    [lng, lat + size],
    [lng, lat]
  ]
  return { type: 'Polygon' as const, coordinates: [ring] }
}

export async function createStreet(ds: DataSource, code = `140213${String(Math.floor(Math.random() * 900) + 100)}`, name = '测试街道') {
  await ds.getRepository(Street).insert({ code, name, synthetic: true })
  return { code, name }
}

export async function createCommunity(ds: DataSource, streetCode: string, code = `${streetCode}${String(Math.floor(Math.random() * 900) + 100)}`, name = '测试社区') {
  await ds.getRepository(Community).insert({ code, streetCode, name, kind: 'community', synthetic: true })
  return { code, name, streetCode }
}

/** A grid whose polygon is the square with south-west corner (lat, lng). */
export async function createGrid(ds: DataSource, opts: { code: string; communityCode: string; streetCode: string; lat: number; lng: number; size?: number; name?: string }) {
  const size = opts.size ?? 0.01
  const polygon = squarePolygon(opts.lat, opts.lng, size)
  await ds.getRepository(Grid).insert({
    code: opts.code,
    name: opts.name ?? `网格 ${opts.code}`,
    communityCode: opts.communityCode,
    streetCode: opts.streetCode,
    polygon: JSON.stringify(polygon),
    minLat: opts.lat,
    minLng: opts.lng,
    maxLat: opts.lat + size,
    maxLng: opts.lng + size,
    synthetic: true
  })
  return { code: opts.code, communityCode: opts.communityCode, streetCode: opts.streetCode, center: { lat: opts.lat + size / 2, lng: opts.lng + size / 2 } }
}

/** Departments arrive with the migrations; this adds one, or leaves an existing one as it is. */
export async function createDepartment(ds: DataSource, code: string, name: string) {
  await ds.createQueryBuilder().insert().into(Department).values({ code, name }).orIgnore().execute()
  return { code, name }
}

export async function createUser(
  ds: DataSource,
  role: Role,
  opts: Partial<Pick<User, 'displayName' | 'gridCode' | 'communityCode' | 'streetCode' | 'departmentCode' | 'onDuty' | 'openid' | 'username' | 'passwordHash' | 'disabled'>> = {}
): Promise<User> {
  const user = newUserRow(role, opts.displayName ?? `${role}-${Math.random().toString(36).slice(2, 7)}`, new Date(), {
    openid: opts.openid ?? null,
    username: opts.username ?? null,
    passwordHash: opts.passwordHash ?? null,
    gridCode: opts.gridCode ?? null,
    communityCode: opts.communityCode ?? null,
    streetCode: opts.streetCode ?? null,
    departmentCode: opts.departmentCode ?? null,
    onDuty: opts.onDuty ?? false,
    disabled: opts.disabled ?? false,
    synthetic: true
  })
  await ds.getRepository(User).insert(user)
  // Test residents have agreed to the current privacy notice, as every resident must before submitting.
  if (role === 'resident' || role === 'volunteer') await seedConsent(ds.manager, [user.id], 'test', TEST_CONSENT_AT)
  // A grid worker covers their grid as routing and the sign-in check read it (staff_grids).
  if (role === 'grid_worker' && user.gridCode) await ds.getRepository(StaffGrid).insert({ userId: user.id, gridCode: user.gridCode, isPrimary: true })
  return user
}

/** An Authorization header value for the user, signed as the real sign-in would. */
export function bearer(config: Config, user: Pick<User, 'id' | 'role'>): string {
  return `Bearer ${signAccessToken(config.jwt, user).token}`
}
