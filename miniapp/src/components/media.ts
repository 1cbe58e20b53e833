import type Taro from '@tarojs/taro'

type MediaCalls = typeof import('./media-calls')
let calls: Promise<MediaCalls> | undefined

/**
 * H5: the photo picker and viewer (media-calls.ts) as a chunk of their own, loaded once (the WeChat
 * build, media.weapp.ts, calls Taro directly).
 */
function loadMediaCalls(): Promise<MediaCalls> {
  calls ??= import(/* webpackChunkName: "media" */ './media-calls')
  return calls
}

/**
 * A form with a photo field loads the picker as soon as the person starts using the page (the first
 * touch, key or focus anywhere on it), not with the page: someone who sends no photo never pays for
 * it, and the tap that opens the picker finds it loaded or loading (the browser opens a file chooser
 * only in answer to a recent tap). Returns the clean-up for an effect.
 */
export function preloadMediaCalls(): () => void {
  const events = ['pointerdown', 'keydown', 'focusin'] as const
  const load = () => {
    stop()
    void loadMediaCalls().catch(() => undefined)
  }
  const stop = () => events.forEach((e) => document.removeEventListener(e, load, true))
  events.forEach((e) => document.addEventListener(e, load, true))
  return stop
}

export async function chooseMedia(options: Taro.chooseMedia.Option) {
  return (await loadMediaCalls()).chooseMedia(options)
}

export async function previewImage(options: Taro.previewImage.Option) {
  return (await loadMediaCalls()).previewImage(options)
}
