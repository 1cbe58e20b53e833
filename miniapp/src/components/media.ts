import type Taro from '@tarojs/taro'
import { lazyModule, onFirstUse } from '../utils/on-demand'

/**
 * H5: the photo picker and viewer (media-calls.ts) as a chunk of their own, loaded once (the WeChat
 * build, media.weapp.ts, calls Taro directly).
 */
const loadMediaCalls = lazyModule(() => import(/* webpackChunkName: "media" */ './media-calls'))

/**
 * A form with a photo field loads the picker at the person's first touch, key or focus on the page:
 * someone who sends no photo never pays for it, and the tap that opens the picker finds it loaded or
 * loading (the browser opens a file chooser only in answer to a recent tap).
 */
export function preloadMediaCalls(): () => void {
  return onFirstUse(() => void loadMediaCalls().catch(() => undefined))
}

export async function chooseMedia(options: Taro.chooseMedia.Option) {
  return (await loadMediaCalls()).chooseMedia(options)
}

export async function previewImage(options: Taro.previewImage.Option) {
  return (await loadMediaCalls()).previewImage(options)
}
