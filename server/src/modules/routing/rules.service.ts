import { randomUUID } from 'node:crypto'
import type { CreateRoutingRuleInput, PreviewRoutingRuleInput, RoutingRuleView, UpdateRoutingRuleInput } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { recordAudit } from '../audit/index'
import { BadRequestError, ConflictError, NotFoundError, ValidationError } from '../../errors'
import { getCategory, type CategoryDefinition } from '../sla/index'
import { findDepartment } from './departments'
import { RoutingRule } from './routing-rule.entity'
import type { RuleSpec } from './routing.service'

/**
 * A rule's department must exist (400 unknown_department) and take tickets: an active rule naming a
 * switched-off department would leave the category's tickets with nobody to receive them (an
 * `instead` rule) or lose the department's copy (`beside`), so it is refused with 409
 * category_without_receiver. An inactive rule may name a switched-off department (it routes nothing).
 */
async function requireReceiver(em: EntityManager, category: string, departmentCode: string, active: boolean, lock = true): Promise<void> {
  // Held until the rule is written: a concurrent switch-off of this department waits, then sees the rule.
  // A preview writes nothing and runs outside a transaction, so it reads without the lock.
  const department = await findDepartment(em, departmentCode, { lock })
  if (!department) throw new ValidationError([{ path: 'departmentCode', code: 'unknown_department', message: 'There is no such department.' }])
  if (active && !department.active) {
    throw new ConflictError('category_without_receiver', `The department “${department.name}” is switched off: tickets of “${category}” would reach nobody there.`, {
      categories: [category],
      departmentCode
    })
  }
}

async function requireCategory(em: EntityManager, code: string): Promise<CategoryDefinition> {
  const category = await getCategory(em, code)
  if (!category) {
    throw new BadRequestError('unknown_category', `“${code}” is not a category.`, [{ path: 'category', code: 'unknown_category', message: 'Choose one of GET /api/tickets/categories.' }])
  }
  return category
}

async function requireRule(em: EntityManager, id: string): Promise<RoutingRule> {
  const rule = await em.getRepository(RoutingRule).findOneBy({ id })
  if (!rule) throw new NotFoundError('There is no such routing rule.')
  return rule
}

/** Every rule, active or not, by category. */
export async function listRules(em: EntityManager): Promise<RoutingRule[]> {
  return em.getRepository(RoutingRule).find({ order: { category: 'ASC' } })
}

/**
 * The district admin adds a category rule. One rule per category (unique index → 409 conflict);
 * the category and the department must exist, and an active rule's department must take tickets.
 * @throws BadRequestError unknown_category; ValidationError unknown_department; ConflictError
 *   category_without_receiver.
 */
export async function createRule(em: EntityManager, input: CreateRoutingRuleInput, now: Date): Promise<RoutingRule> {
  await requireCategory(em, input.category)
  await requireReceiver(em, input.category, input.departmentCode, input.active)
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
  await recordAudit(em, {
    action: 'routing_rule.create',
    objectType: 'routing_rule',
    objectId: rule.id,
    detail: { category: rule.category, departmentCode: rule.departmentCode, mode: rule.mode, active: rule.active }
  })
  return rule
}

/** The rule as it would be after `input`, checked as a save would check it. */
async function applyChanges(em: EntityManager, rule: RoutingRule, input: UpdateRoutingRuleInput, lock = true): Promise<Pick<RoutingRule, 'departmentCode' | 'mode' | 'active'>> {
  const changes = { departmentCode: input.departmentCode ?? rule.departmentCode, mode: input.mode ?? rule.mode, active: input.active ?? Boolean(rule.active) }
  if (input.departmentCode !== undefined || changes.active) await requireReceiver(em, rule.category, changes.departmentCode, changes.active, lock)
  return changes
}

/**
 * Changes a rule's department, mode or whether it applies. New tickets follow at once; tickets
 * already routed keep their stored decision. Switching a rule off always leaves a receiver: the
 * category's tickets then follow the territory (grid → community → street → district centre).
 * @throws NotFoundError for an unknown id; ValidationError unknown_department; ConflictError
 *   category_without_receiver.
 */
export async function updateRule(em: EntityManager, id: string, input: UpdateRoutingRuleInput, now: Date): Promise<RoutingRule> {
  const rule = await requireRule(em, id)
  const changes = { ...(await applyChanges(em, rule, input)), updatedAt: now }
  await em.getRepository(RoutingRule).update({ id }, changes)
  await recordAudit(em, {
    action: 'routing_rule.update',
    objectType: 'routing_rule',
    objectId: id,
    detail: { category: rule.category, changes: { departmentCode: changes.departmentCode, mode: changes.mode, active: changes.active } }
  })
  return Object.assign(rule, changes)
}

/**
 * Removes a rule: the category's new tickets follow the territory, as with a switched-off rule.
 * Tickets keep their stored decision (they copy the department code, not the rule).
 * @throws NotFoundError for an unknown id.
 */
export async function deleteRule(em: EntityManager, id: string): Promise<void> {
  await requireRule(em, id)
  await em.getRepository(RoutingRule).delete({ id })
  await recordAudit(em, { action: 'routing_rule.delete', objectType: 'routing_rule', objectId: id })
}

/** What a preview replays: the category, and the rule it would have after the change (null: none). */
export interface RuleProposal {
  category: CategoryDefinition
  rule: RuleSpec | null
}

/**
 * The proposed change of a preview, checked exactly as saving it would be (so the console shows the
 * refusal before the replay), saving nothing.
 * @throws as createRule / updateRule; ConflictError conflict when the category has a rule already.
 */
export async function resolveProposal(em: EntityManager, input: PreviewRoutingRuleInput): Promise<RuleProposal> {
  if (input.action === 'create') {
    const category = await requireCategory(em, input.rule.category)
    await requireReceiver(em, category.code, input.rule.departmentCode, input.rule.active, false)
    if (await em.getRepository(RoutingRule).existsBy({ category: category.code })) {
      throw new ConflictError('conflict', `“${category.code}” has a rule already: change that one.`)
    }
    return { category, rule: input.rule.active ? { id: 'proposed', departmentCode: input.rule.departmentCode, mode: input.rule.mode } : null }
  }
  const rule = await requireRule(em, input.ruleId)
  const category = await requireCategory(em, rule.category)
  if (input.action === 'deactivate') return { category, rule: null }
  const changes = await applyChanges(em, rule, input.changes, false)
  return { category, rule: changes.active ? { id: rule.id, departmentCode: changes.departmentCode, mode: changes.mode } : null }
}

export function presentRule(rule: RoutingRule): RoutingRuleView {
  return {
    id: rule.id,
    category: rule.category,
    departmentCode: rule.departmentCode,
    mode: rule.mode === 'beside' ? 'beside' : 'instead',
    active: Boolean(rule.active),
    createdAt: new Date(rule.createdAt).toISOString(),
    updatedAt: new Date(rule.updatedAt).toISOString()
  }
}
