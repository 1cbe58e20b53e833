/** The public board (回复公开): masked copies of resolved tickets, published after a content check. */
import type { BackgroundJob } from '../../deps'
import { wechatClientFor } from '../wechat/index'
import { checkPendingPublicationsOnce } from './content-check'

export { checkPendingPublicationsOnce, type ContentCheckOptions, type ContentCheckReport } from './content-check'
export { createPublicBoardRouter, createReviewRouter } from './publication.routes'
export { Publication } from './publication.entity'
export { publicationHook } from './publication.hook'

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
