import Taro from '@tarojs/taro'

/** WeChat: its own picker and viewer, nothing to load (the H5 build loads them as a chunk: media.ts). */
export function preloadMediaCalls(): () => void {
  return () => undefined
}

export function chooseMedia(options: Taro.chooseMedia.Option) {
  return Taro.chooseMedia(options)
}

export function previewImage(options: Taro.previewImage.Option) {
  return Taro.previewImage(options)
}
