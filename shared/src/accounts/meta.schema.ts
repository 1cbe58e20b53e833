import { z } from 'zod'
import { MapTilesViewSchema } from '../maps/maps.schema'

export { POLICY_VERSION } from './policy-version'

/** The ways to sign in a server offers; the sign-in page shows exactly these. */
export const SIGN_IN_METHODS = ['wechat_mini', 'wechat_web', 'staff_password', 'demo'] as const
export const SignInMethodSchema = z.enum(SIGN_IN_METHODS)
export type SignInMethod = z.infer<typeof SignInMethodSchema>

/**
 * `GET /api/meta` (no sign-in): what the client needs to know about the server before anyone signs
 * in. The persona picker appears only when `demoMode` is true (and `signIn` contains `demo`).
 */
export const MetaViewSchema = z.object({
  demoMode: z.boolean(),
  signIn: z.array(SignInMethodSchema),
  /** The official account's appid for the H5 OAuth2 redirect (snsapi_base), when one is configured. */
  wechatWebAppId: z.string().optional(),
  policyVersion: z.string(),
  /** The H5 map's tile source (docs/maps.md); absent: the map draws the district's grid layer only. */
  mapTiles: MapTilesViewSchema.optional()
})
export type MetaView = z.infer<typeof MetaViewSchema>
