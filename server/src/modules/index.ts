import type Router from '@koa/router'
import type { AppDeps } from '../deps'

/** Every module's router, each with its own `/api/<module>` prefix. A new module adds one line. */
export function moduleRouters(deps: AppDeps): Router[] {
  void deps
  return []
}
