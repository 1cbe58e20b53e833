import { MessageLimits, TEMPLATE_KEYS, type FieldIssue, type RecordSubscriptionsInput, type SubscriptionsView, type TemplateKey } from '@palm/shared'
import { In } from 'typeorm'
import { isUniqueViolation } from '../../db/errors'
import { withWrite } from '../../db/tx'
import type { AppDeps } from '../../deps'
import { ValidationError } from '../../errors'
import type { Actor } from '../auth/actor'
import { SubscriptionGrant } from './notification.entity'

/** Our keys → WeChat template ids of this deployment, and back. */
function configuredTemplates(deps: AppDeps): Array<{ key: TemplateKey; id: string }> {
  const ids = deps.config.wechat.templateIds
  return TEMPLATE_KEYS.flatMap((key) => (ids[key] ? [{ key, id: ids[key] }] : []))
}

/**
 * Records the one-shot grants the person just gave in `requestSubscribeMessage`: one more unused
 * grant per template (capped at MessageLimits.grantCap). Templates are named by our key or by the
 * WeChat id; one this deployment does not use is refused with 400 and nothing is recorded.
 * @throws ValidationError naming each unknown template (`templateKeys.0`, `templateIds.1`)
 */
export async function recordSubscriptions(deps: AppDeps, actor: Actor, input: RecordSubscriptionsInput): Promise<SubscriptionsView> {
  const templates = configuredTemplates(deps)
  const issues: FieldIssue[] = []
  const granted: string[] = []
  input.templateKeys?.forEach((key, i) => {
    const t = templates.find((x) => x.key === key)
    if (t) granted.push(t.id)
    else issues.push({ path: `templateKeys.${i}`, code: 'unknown_template', message: 'This template is not used here.' })
  })
  input.templateIds?.forEach((id, i) => {
    const t = templates.find((x) => x.id === id)
    if (t) granted.push(t.id)
    else issues.push({ path: `templateIds.${i}`, code: 'unknown_template', message: 'This template is not used here.' })
  })
  if (issues.length > 0) throw new ValidationError(issues, 'Unknown subscribe-message template.')
  for (const templateId of granted) await addGrant(deps, actor.id, templateId)
  return listSubscriptions(deps, actor)
}

/** One more grant: UPDATE, else INSERT, and UPDATE again if another request inserted first. */
async function addGrant(deps: AppDeps, userId: string, templateId: string): Promise<void> {
  const increment = () =>
    withWrite(deps.ds, (em) =>
      em
        .createQueryBuilder()
        .update(SubscriptionGrant)
        .set({ remaining: () => 'remaining + 1', updatedAt: deps.now() })
        .where('user_id = :userId AND template_id = :templateId AND remaining < :cap', { userId, templateId, cap: MessageLimits.grantCap })
        .execute()
    )
  if ((await increment()).affected === 1) return
  try {
    await withWrite(deps.ds, (em) => em.getRepository(SubscriptionGrant).insert({ userId, templateId, remaining: 1, updatedAt: deps.now() }))
  } catch (err) {
    if (!isUniqueViolation(err)) throw err
    await increment()
  }
}

/** The caller's unused grants for each template this deployment uses. */
export async function listSubscriptions(deps: AppDeps, actor: Actor): Promise<SubscriptionsView> {
  const templates = configuredTemplates(deps)
  const rows = templates.length ? await deps.ds.getRepository(SubscriptionGrant).findBy({ userId: actor.id, templateId: In(templates.map((t) => t.id)) }) : []
  return { grants: templates.map((t) => ({ templateKey: t.key, templateId: t.id, remaining: rows.find((r) => r.templateId === t.id)?.remaining ?? 0 })) }
}
