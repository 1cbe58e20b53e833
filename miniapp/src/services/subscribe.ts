import Taro from '@tarojs/taro'
import { appConfig } from '../config'
import { isWeapp } from '../utils/platform'
import { messagesService } from './messages.service'

/**
 * Asks for the subscribe-message grant (WeChat's requestSubscribeMessage) for the configured
 * templates and tells the server which were accepted: one grant lets the server push one message
 * (docs/messages.md). WeChat shows its dialog only when this is called synchronously inside a tap,
 * so the booking and sign-up buttons call it first thing in their handler, as the report form does.
 * In H5 (no such API) or without configured templates it does nothing. Never throws.
 */
export function askSubscriptionFromTap(options: { platformIsWeapp?: boolean; templateIds?: readonly string[] } = {}): Promise<string[]> {
  const ids = [...(options.templateIds ?? appConfig.subscribeTemplateIds)]
  if (!(options.platformIsWeapp ?? isWeapp) || ids.length === 0) return Promise.resolve([])
  return Taro.requestSubscribeMessage({ tmplIds: ids, entityIds: [] } as unknown as Taro.requestSubscribeMessage.Option)
    .then((res) => ids.filter((id) => (res as unknown as Record<string, string>)[id] === 'accept'))
    .catch(() => [] as string[])
    .then(async (accepted) => {
      await messagesService.registerSubscriptions(accepted).catch(() => undefined)
      return accepted
    })
}
