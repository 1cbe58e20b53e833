import type { AdminDepartmentView, CreateDepartmentInput, UpdateDepartmentInput } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { recordAudit } from '../audit/index'
import { ConflictError, NotFoundError } from '../../errors'
import { Department } from '../territory/index'
import { lockDepartment } from './departments'
import { RoutingRule } from './routing-rule.entity'

/** A department row with the number of active rules that send tickets to it. */
export interface DepartmentRow {
  code: string
  name: string
  active: boolean
  activeRules: number
}

async function activeRulesByDepartment(em: EntityManager): Promise<Map<string, string[]>> {
  const rules = await em.getRepository(RoutingRule).find({ select: { category: true, departmentCode: true }, where: { active: true } })
  const out = new Map<string, string[]>()
  for (const r of rules) out.set(r.departmentCode, [...(out.get(r.departmentCode) ?? []), r.category])
  return out
}

/** Every department, switched off or not, by code, with how many active rules name it. */
export async function listDepartmentsForAdmin(em: EntityManager): Promise<DepartmentRow[]> {
  const [rows, rules] = await Promise.all([em.getRepository(Department).find({ order: { code: 'ASC' } }), activeRulesByDepartment(em)])
  return rows.map((d) => ({ code: d.code, name: d.name, active: Boolean(d.active), activeRules: rules.get(d.code)?.length ?? 0 }))
}

/**
 * The district admin adds a department (a queue rules can name). The code is the primary key: a
 * second department with the same code is refused by the database (409 conflict), never checked first.
 */
export async function createDepartment(em: EntityManager, input: CreateDepartmentInput): Promise<DepartmentRow> {
  await em.getRepository(Department).insert({ code: input.code, name: input.name, active: input.active })
  await recordAudit(em, { action: 'department.create', objectType: 'department', objectId: input.code, detail: { name: input.name, active: input.active } })
  return { code: input.code, name: input.name, active: input.active, activeRules: 0 }
}

/**
 * Renames a department or switches it on or off. Switching off a department that an active rule
 * names would leave that rule's category without a receiver: refused, with the categories, until
 * the rules are changed first.
 * @throws NotFoundError for an unknown code; ConflictError category_without_receiver.
 */
export async function updateDepartment(em: EntityManager, code: string, input: UpdateDepartmentInput): Promise<DepartmentRow> {
  const repo = em.getRepository(Department)
  // Locked first: a rule naming it, written meanwhile on another instance, is then seen below.
  const row = await lockDepartment(em, code)
  if (!row) throw new NotFoundError('There is no such department.')
  const categories = (await activeRulesByDepartment(em)).get(code) ?? []
  if (input.active === false && categories.length > 0) {
    throw new ConflictError('category_without_receiver', `Active rules send ${categories.join(', ')} to “${row.name}”: change those rules first.`, { categories, departmentCode: code })
  }
  const changes = { name: input.name ?? row.name, active: input.active ?? Boolean(row.active) }
  await repo.update({ code }, changes)
  await recordAudit(em, { action: 'department.update', objectType: 'department', objectId: code, detail: { changes } })
  return { code, ...changes, activeRules: categories.length }
}

export function presentDepartment(d: DepartmentRow): AdminDepartmentView {
  return { code: d.code, name: d.name, active: d.active, activeRules: d.activeRules }
}
