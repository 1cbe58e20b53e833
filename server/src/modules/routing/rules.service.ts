import { randomUUID } from 'node:crypto'
import type { CreateRoutingRuleInput, RoutingRuleView, UpdateRoutingRuleInput } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { BadRequestError, NotFoundError, ValidationError } from '../../errors'
import { getCategory } from '../sla/index'
import { findDepartmentName } from './departments'
import { RoutingRule } from './routing-rule.entity'

async function requireDepartment(em: EntityManager, code: string): Promise<void> {
  if ((await findDepartmentName(em, code)) === undefined) {
    throw new ValidationError([{ path: 'departmentCode', code: 'unknown_department', message: 'There is no such department.' }])
  }
}

/** Every rule, active or not, by category. */
export async function listRules(em: EntityManager): Promise<RoutingRule[]> {
  return em.getRepository(RoutingRule).find({ order: { category: 'ASC' } })
}

/**
 * The district admin adds a category rule. One rule per category (unique index → 409 conflict);
 * the category and the department must exist, so a rule can never point at nothing.
 * @throws BadRequestError unknown_category; ValidationError unknown_department.
 */
export async function createRule(em: EntityManager, input: CreateRoutingRuleInput, now: Date): Promise<RoutingRule> {
  if (!(await getCategory(em, input.category))) {
    throw new BadRequestError('unknown_category', `“${input.category}” is not a category.`, [
      { path: 'category', code: 'unknown_category', message: 'Choose one of GET /api/tickets/categories.' }
    ])
  }
  await requireDepartment(em, input.departmentCode)
  const rule: RoutingRule = Object.assign(new RoutingRule(), {
    id: randomUUID(),
    category: input.category,
    departmentCode: input.departmentCode,
    mode: input.mode,
    active: input.active,
    createdAt: now,
    updatedAt: now
  })
  // Insert a copy: on MariaDB, INSERT … RETURNING merges raw defaults (active = 1) back into the entity.
  await em.getRepository(RoutingRule).insert({ ...rule })
  return rule
}

/**
 * Changes a rule's department, mode or whether it applies. New tickets follow at once; tickets
 * already routed keep their stored decision.
 * @throws NotFoundError for an unknown id; ValidationError unknown_department.
 */
export async function updateRule(em: EntityManager, id: string, input: UpdateRoutingRuleInput, now: Date): Promise<RoutingRule> {
  const repo = em.getRepository(RoutingRule)
  const rule = await repo.findOneBy({ id })
  if (!rule) throw new NotFoundError('There is no such routing rule.')
  if (input.departmentCode !== undefined) await requireDepartment(em, input.departmentCode)
  const changes = {
    departmentCode: input.departmentCode ?? rule.departmentCode,
    mode: input.mode ?? rule.mode,
    active: input.active ?? rule.active,
    updatedAt: now
  }
  await repo.update({ id }, changes)
  return Object.assign(rule, changes)
}

export function presentRule(rule: RoutingRule): RoutingRuleView {
  return {
    id: rule.id,
    category: rule.category,
    departmentCode: rule.departmentCode,
    mode: rule.mode === 'beside' ? 'beside' : 'instead',
    active: rule.active,
    createdAt: new Date(rule.createdAt).toISOString(),
    updatedAt: new Date(rule.updatedAt).toISOString()
  }
}
