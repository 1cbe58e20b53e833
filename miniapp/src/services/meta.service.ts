import type { MetaView } from '@palm/shared'
import { apiRequest } from './api-client'

let cached: Promise<MetaView> | undefined

/**
 * `GET /api/meta`: the server's mode and sign-in methods, asked once per app start (a failure is
 * not kept, so 重试 asks again).
 */
export const metaService = {
  get(): Promise<MetaView> {
    if (!cached) {
      cached = apiRequest<MetaView>({ path: '/api/meta', auth: false }).catch((err: unknown) => {
        cached = undefined
        throw err
      })
    }
    return cached
  },
  /** Tests and a changed server: forget the cached answer. */
  forget(): void {
    cached = undefined
  }
}
