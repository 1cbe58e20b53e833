import { apiRequest } from './api-client'

/** The ways to sign in a server offers (`GET /api/meta`); the sign-in page shows exactly these. */
export type SignInMethod = 'wechat_mini' | 'wechat_web' | 'staff_password' | 'demo'

/** `GET /api/meta`: what the app must know about the server before anyone signs in. */
export interface MetaView {
  demoMode: boolean
  signIn: SignInMethod[]
  wechatWebAppId?: string
  policyVersion: string
}

let cached: Promise<MetaView> | undefined

/** The server's mode and sign-in methods, asked once per app start (a failure is not kept, so 重试 asks again). */
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
