import { routeUp } from './route-up'
import type { TransitionCommand } from './transition-context'

/** 退单: "not my grid / not our remit" (the reason is required); re-routed one level up, where it waits as `returned`. */
export const returnTicket: TransitionCommand = async (ctx) => routeUp(ctx, `退单：${ctx.input.note ?? ''}`)
