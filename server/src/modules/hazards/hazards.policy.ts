import { ForbiddenError } from '../../errors'
import type { Actor } from '../auth/actor'
import { isInScope } from '../auth/policy'
import type { HazardEntry } from './hazard.entity'

/** Who keeps the ledger: the grid workers who inspect, and the staff above them. */
export const HAZARD_WRITERS = ['grid_worker', 'community_staff', 'street_admin', 'district_admin'] as const
/** Who reads it: the writers, and departments for the entries in their queue (housing for self-built houses). */
export const HAZARD_READERS = [...HAZARD_WRITERS, 'department_staff'] as const

/** 403 unless the actor keeps the ledger (function level; the record level is mayReadEntry). */
export function assertLedgerWriter(actor: Actor): void {
  if (!(HAZARD_WRITERS as readonly string[]).includes(actor.role)) throw new ForbiddenError('The ledger is kept by grid workers and staff.')
}

/** 403 unless the actor reads the ledger at all. */
export function assertLedgerReader(actor: Actor): void {
  if (!(HAZARD_READERS as readonly string[]).includes(actor.role)) throw new ForbiddenError('The ledger is for staff.')
}

/** "May this actor see (and move) this entry": its territory or department queue lies in their scope (else 404). */
export function mayReadEntry(actor: Actor, entry: Pick<HazardEntry, 'gridCode' | 'communityCode' | 'streetCode' | 'departmentCode'>): boolean {
  return isInScope(actor, { gridCode: entry.gridCode, communityCode: entry.communityCode, streetCode: entry.streetCode, departmentCode: entry.departmentCode })
}
