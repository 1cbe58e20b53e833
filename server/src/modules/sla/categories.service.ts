import type { CategoryView, CreateCategoryInput, TicketKind, UpdateCategoryInput } from '@palm/shared'
import type { DataSource, EntityManager } from 'typeorm'
import { recordAudit } from '../audit/index'
import { NotFoundError, ValidationError } from '../../errors'
import { TicketCategory } from './category.entity'
import { PerSourceCache } from './reference-cache'

/** What the ticket pipeline needs of a category: who it is and its limits in working minutes. */
export interface CategoryDefinition {
  code: string
  name: string
  kind: TicketKind
  acceptWithinMinutes: number
  resolveWithinMinutes: number
  active: boolean
  /** Limits count clock minutes 24×7 instead of working time (deadlineAfter). */
  emergency: boolean
}

function toDefinition(row: TicketCategory): CategoryDefinition {
  return {
    code: row.code,
    name: row.name,
    kind: row.kind as TicketKind,
    acceptWithinMinutes: row.acceptWithinMinutes,
    resolveWithinMinutes: row.resolveWithinMinutes,
    active: row.active,
    emergency: Boolean(row.emergency)
  }
}

/**
 * The category with this code, switched off or not (an old ticket keeps its category), or undefined.
 * A primary-key read, always current; the submission path uses the cached findCategory instead.
 */
export async function getCategory(em: EntityManager, code: string): Promise<CategoryDefinition | undefined> {
  const row = await em.getRepository(TicketCategory).findOneBy({ code })
  return row ? toDefinition(row) : undefined
}

const categoryCache = new PerSourceCache(async (ds) => new Map((await ds.getRepository(TicketCategory).find()).map((row) => [row.code, toDefinition(row)])))

/**
 * The category with this code, as getCategory, from a copy in memory that is at most
 * REFERENCE_TTL_MS old (edits through PATCH /api/tickets/categories on this instance apply at once):
 * the submission path reads it on every request. A code missing from the copy is read from the
 * database, so a category added since is found.
 */
export async function findCategory(ds: DataSource, code: string): Promise<CategoryDefinition | undefined> {
  return (await categoryCache.get(ds)).get(code) ?? getCategory(ds.manager, code)
}

/** Drops the in-memory copy of the categories (after an edit, and in tests that edit the table directly). */
export function invalidateCategories(ds: DataSource): void {
  categoryCache.invalidate(ds)
}

/** The categories offered for new tickets (of one kind, when given), in display order. */
export async function listCategories(em: EntityManager, kind?: TicketKind, opts: { includeInactive?: boolean } = {}): Promise<CategoryDefinition[]> {
  const qb = em.getRepository(TicketCategory).createQueryBuilder('c').orderBy('c.sort', 'ASC').addOrderBy('c.code', 'ASC')
  if (kind) qb.andWhere('c.kind = :kind', { kind })
  if (!opts.includeInactive) qb.andWhere('c.active = :active', { active: true })
  return (await qb.getMany()).map(toDefinition)
}

/**
 * The district admin changes a category's name, limits or availability. Limits are working minutes;
 * accepting may not be allowed longer than resolving.
 * @throws NotFoundError for an unknown code; ValidationError when accept would exceed resolve.
 */
export async function updateCategory(em: EntityManager, code: string, input: UpdateCategoryInput): Promise<CategoryDefinition> {
  const repo = em.getRepository(TicketCategory)
  const row = await repo.findOneBy({ code })
  if (!row) throw new NotFoundError('There is no such category.')
  const acceptWithinMinutes = input.acceptWithin ?? row.acceptWithinMinutes
  const resolveWithinMinutes = input.resolveWithin ?? row.resolveWithinMinutes
  if (acceptWithinMinutes > resolveWithinMinutes) {
    throw new ValidationError([{ path: input.acceptWithin !== undefined ? 'acceptWithin' : 'resolveWithin', code: 'too_big', message: 'Accepting may not take longer than resolving.' }])
  }
  const changes = { acceptWithinMinutes, resolveWithinMinutes, name: input.name ?? row.name, active: input.active ?? row.active, emergency: input.emergency ?? Boolean(row.emergency) }
  await repo.update({ code }, changes)
  await recordAudit(em, { action: 'category.update', objectType: 'category', objectId: code, detail: { changes } })
  return toDefinition({ ...row, ...changes })
}

/**
 * The district admin adds a category (offered at once for its kind when active). The code is the
 * primary key: a taken code is refused by the database (409 conflict), never checked first. New
 * categories sort after the seeded ones, in the order they were added.
 */
export async function createCategory(em: EntityManager, input: CreateCategoryInput): Promise<CategoryDefinition> {
  const repo = em.getRepository(TicketCategory)
  const last = await repo.createQueryBuilder('c').select('MAX(c.sort)', 'max').getRawOne<{ max: number | string | null }>()
  const row: TicketCategory = Object.assign(new TicketCategory(), {
    code: input.code,
    kind: input.kind,
    name: input.name,
    acceptWithinMinutes: input.acceptWithin,
    resolveWithinMinutes: input.resolveWithin,
    active: input.active,
    emergency: false,
    sort: Number(last?.max ?? 0) + 1
  })
  await repo.insert({ ...row })
  await recordAudit(em, {
    action: 'category.create',
    objectType: 'category',
    objectId: row.code,
    detail: { kind: row.kind, name: row.name, acceptWithin: row.acceptWithinMinutes, resolveWithin: row.resolveWithinMinutes, active: row.active }
  })
  return toDefinition(row)
}

/** The API shape (api.md): limits as `acceptWithin` / `resolveWithin`, in minutes of working time. */
export function presentCategory(c: CategoryDefinition): CategoryView {
  return { code: c.code, name: c.name, kind: c.kind, acceptWithin: c.acceptWithinMinutes, resolveWithin: c.resolveWithinMinutes, active: c.active, emergency: c.emergency }
}
