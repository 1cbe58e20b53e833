/** The public board (回复公开): masked copies of resolved tickets, published after a content check. */
import type { BackgroundJob } from '../lifecycle'
import { ticketEventHooks } from '../tickets/index'
import { wechatClientFor } from '../wechat/index'
import { checkPendingPublicationsOnce } from './content-check'
import { publicationHook } from './publication.hook'
import { createPublicBoardRouter as createRouter, createReviewRouter } from './publication.routes'
import type { AppDeps } from '../../deps'

export { checkPendingPublicationsOnce, type ContentCheckOptions, type ContentCheckReport } from './content-check'
export { assessPublicText, maskContactData, maskPersonName, maskPublicText } from './masking'
export { createReviewRouter } from './publication.routes'
export { Publication } from './publication.entity'
export { publicationHook } from './publication.hook'

/** Puts the publication hook on the ticket event hooks once, however many apps a process builds. */
export function registerPublicationHooks(): void {
  if (!ticketEventHooks.includes(publicationHook)) ticketEventHooks.push(publicationHook)
}
registerPublicationHooks()

/** The router; building it also makes sure the hook is registered. */
export function createPublicBoardRouter(deps: AppDeps) {
  registerPublicationHooks()
  return createRouter(deps)
}

/** The content-check job: every instance runs it; rows are claimed, so each is checked once at a time. */
export function publicationJobs(instanceId: string): BackgroundJob[] {
  return [
    {
      name: 'publication content check',
      intervalMs: 5_000,
      run: async (deps) => {
        // Without a WeChat app there is no check, and unchecked text is never published: copies wait.
        if (!deps.config.wechat.appId) return
        await checkPendingPublicationsOnce(deps, wechatClientFor(deps.config), { instanceId })
      }
    }
  ]
}
