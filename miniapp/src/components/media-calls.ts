import Taro from '@tarojs/taro'

/**
 * Taro's photo picker and full-screen viewer, in a module of their own: on H5 they bring Swiper and a
 * user-agent parser (about 100 KB), which media.ts loads after the page has shown (docs/performance.md
 * "Keeping the first page light").
 */
export function chooseMedia(options: Taro.chooseMedia.Option) {
  return Taro.chooseMedia(options)
}

export function previewImage(options: Taro.previewImage.Option) {
  return Taro.previewImage(options)
}
