import { createHash } from 'node:crypto'
import type { DemoSignInInput, Role } from '@palm/shared'
import type { FindOptionsWhere } from 'typeorm'
import type { Config } from '../../config'
import type { AppDeps } from '../../deps'
import { NotFoundError } from '../../errors'
import { withWrite } from '../../db/tx'
import { consentHistory, seedConsent } from './consent-records'
import { findOrInsertUser, newUserRow } from './users.repo'
import { User } from './user.entity'

/**
 * Demo sign-in exists only on the embedded database outside production. `config.demoMode` already
 * says so; the route checks the parts again so that no single override can switch it on in
 * production.
 */
export function demoSignInAllowed(config: Config): boolean {
  return config.demoMode && config.env !== 'production' && config.database.kind === 'sqlite'
}

const CITIZEN_NAMES: Partial<Record<Role, string>> = { resident: '演示居民', volunteer: '演示志愿者' }

type ScopeField = 'gridCode' | 'communityCode' | 'streetCode' | 'departmentCode'
/** The scope columns each staff persona's seeded accounts have filled in. */
const PERSONA_SCOPE_FIELDS: Partial<Record<Role, readonly ScopeField[]>> = {
  grid_worker: ['gridCode', 'communityCode', 'streetCode'],
  community_staff: ['communityCode', 'streetCode'],
  street_admin: ['streetCode'],
  department_staff: ['departmentCode'],
  district_admin: []
}

/**
 * Signs in as a demo persona. A resident or volunteer with the same key is the same person every
 * time; a staff persona is the seeded account of the scope the codes name (the first such account
 * when no code is given; codes the persona's accounts do not carry, such as a street admin's
 * community, are ignored).
 * @throws NotFoundError when no seeded account matches
 */
export async function signInDemo(deps: AppDeps, input: DemoSignInInput): Promise<User> {
  const citizenName = CITIZEN_NAMES[input.persona]
  if (citizenName) {
    const key = input.key ?? 'default'
    const demoKey = `${input.persona}:${key}`
    const displayName = key === 'default' ? citizenName : `${citizenName}（${key.slice(0, 40)}）`
    // A synthetic openid lets the demo's own fake WeChat server check and deliver this persona's
    // messages, as WeChat would for a real resident.
    const openid = `demo_${createHash('sha256').update(demoKey).digest('hex').slice(0, 26)}`
    const candidate = newUserRow(input.persona, displayName, deps.now(), { demoKey, openid, openidSource: 'demo', synthetic: true })
    const { user, created } = await findOrInsertUser(deps, { demoKey }, candidate)
    // A demo persona stands for a resident who agreed to the notice (docs/residents-data.md): new
    // ones, and the seeded ones (the default volunteer) that have never decided. A withdrawal stays.
    if (created || (await consentHistory(deps.ds.manager, user.id)).length === 0) {
      await withWrite(deps.ds, (em) => seedConsent(em, [user.id], 'demo', deps.now()))
    }
    return user
  }
  const where: FindOptionsWhere<User> = { role: input.persona, disabled: false }
  // Only the codes the persona's accounts carry narrow the choice: a street admin has no community,
  // so a picker that also sends the community it shows still finds the street's admin.
  const fields = PERSONA_SCOPE_FIELDS[input.persona] ?? []
  if (input.gridCode && fields.includes('gridCode')) where.gridCode = input.gridCode
  if (input.communityCode && fields.includes('communityCode')) where.communityCode = input.communityCode
  if (input.streetCode && fields.includes('streetCode')) where.streetCode = input.streetCode
  if (input.departmentCode && fields.includes('departmentCode')) where.departmentCode = input.departmentCode
  const user = await deps.ds.getRepository(User).findOne({ where, order: { id: 'ASC' } })
  if (!user) throw new NotFoundError(`No demo ${input.persona} account for this scope.`)
  return user
}
