import type { AccountView, StaffRole } from '@palm/shared'
import { In, type DataSource } from 'typeorm'
import { gridCodesOfUsers } from '../auth/staff-grids.repo'
import { Community, Grid, Street } from '../territory/territory.entity'
import type { AccountRow } from './accounts.service'

/** A phone as community staff (read-only viewers) see it: 138****5678. */
function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****'
}

/**
 * AccountViews of a page of accounts, with grid, community and street names (one query per kind).
 * Never hashes, TOTP secrets, openid or unionid: only whether they exist.
 */
export async function presentAccounts(ds: DataSource, rows: readonly AccountRow[], now: Date): Promise<AccountView[]> {
  const grids = await gridCodesOfUsers(
    ds,
    rows.filter((r) => r.user.role === 'grid_worker').map((r) => r.user.id)
  )
  const gridCodes = [...new Set([...grids.values()].flat())]
  const communityCodes = [...new Set(rows.flatMap((r) => (r.user.communityCode ? [r.user.communityCode] : [])))]
  const streetCodes = [...new Set(rows.flatMap((r) => (r.user.streetCode ? [r.user.streetCode] : [])))]
  const [gridRows, communityRows, streetRows] = await Promise.all([
    gridCodes.length ? ds.getRepository(Grid).find({ select: { code: true, name: true }, where: { code: In(gridCodes) } }) : [],
    communityCodes.length ? ds.getRepository(Community).find({ select: { code: true, name: true }, where: { code: In(communityCodes) } }) : [],
    streetCodes.length ? ds.getRepository(Street).find({ select: { code: true, name: true }, where: { code: In(streetCodes) } }) : []
  ])
  const names = new Map<string, string>([...gridRows, ...communityRows, ...streetRows].map((r) => [r.code, r.name]))
  return rows.map(({ user, access }) => {
    const codes = user.role === 'grid_worker' ? (grids.get(user.id) ?? (user.gridCode ? [user.gridCode] : [])) : []
    const view: AccountView = {
      id: user.id,
      username: user.username ?? '',
      role: user.role as StaffRole,
      displayName: user.displayName,
      gridCodes: codes,
      // Boolean(): a row just inserted on MariaDB may carry its defaults back as 0/1.
      disabled: Boolean(user.disabled),
      locked: !!user.lockedUntil && user.lockedUntil.getTime() > now.getTime(),
      hasTotp: !!user.totpSecret,
      wechatBound: !!user.openid,
      mustChangePassword: Boolean(user.mustChangePassword),
      onDuty: user.role === 'grid_worker' ? Boolean(user.onDuty) : false,
      createdAt: user.createdAt.toISOString()
    }
    if (user.phone) view.phone = access === 'manage' ? user.phone : maskPhone(user.phone)
    if (codes.length) view.gridNames = codes.map((c) => names.get(c) ?? c)
    if (user.communityCode) {
      view.communityCode = user.communityCode
      view.communityName = names.get(user.communityCode) ?? user.communityCode
    }
    if (user.streetCode) {
      view.streetCode = user.streetCode
      view.streetName = names.get(user.streetCode) ?? user.streetCode
    }
    if (user.departmentCode) view.departmentCode = user.departmentCode
    if (view.locked && user.lockedUntil) view.lockedUntil = user.lockedUntil.toISOString()
    return view
  })
}

/** One AccountView. */
export async function presentAccount(ds: DataSource, row: AccountRow, now: Date): Promise<AccountView> {
  const [view] = await presentAccounts(ds, [row], now)
  if (!view) throw new Error('presentAccounts returned nothing for one row')
  return view
}
