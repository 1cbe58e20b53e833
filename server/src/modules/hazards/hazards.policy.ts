import type { SelectQueryBuilder } from 'typeorm'
import { ForbiddenError } from '../../errors'
import type { Actor } from '../auth/actor'
import { isInScope, scopeCondition } from '../auth/policy'

/** Where an entry (or the tip it comes from) lies: its territory and department queue. */
type LedgerPlace = { [K in 'gridCode' | 'communityCode' | 'streetCode' | 'departmentCode']: string | null }

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
export function mayReadEntry(actor: Actor, entry: LedgerPlace): boolean {
  return isInScope(actor, { gridCode: entry.gridCode, communityCode: entry.communityCode, streetCode: entry.streetCode, departmentCode: entry.departmentCode })
}

/** "May this actor record a hazard here": the place (with the queue it will sit in) lies in their scope (else 404). */
export function mayRecordAt(actor: Actor, place: LedgerPlace): boolean {
  return mayReadEntry(actor, place)
}

/**
 * "May this actor enter this tip in the ledger": the tip's territory or department queue lies in
 * their scope (else 404, as for any ticket out of scope).
 */
export function mayEnterTip(actor: Actor, tip: LedgerPlace): boolean {
  return mayReadEntry(actor, tip)
}

/**
 * Restricts a ledger query (alias `h`) to the rows the actor may read, by the same role → scope
 * table as mayReadEntry, so the list, the export and a single read never disagree.
 */
export function applyLedgerScope<T extends object>(qb: SelectQueryBuilder<T>, actor: Actor): SelectQueryBuilder<T> {
  assertLedgerReader(actor)
  const scope = scopeCondition(actor, 'h')
  if (scope) qb.andWhere(scope.sql, scope.params)
  return qb
}
