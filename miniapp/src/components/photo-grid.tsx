import { View, Image } from '@tarojs/components'
import { imageAlt, pressable } from './a11y'
import { previewImage } from './media'
import './photo-grid.scss'

/** Thumbnails that open the full-screen viewer (Taro.previewImage, loaded on the first tap: media.ts) on tap. */
export function PhotoGrid({ urls }: { urls: readonly string[] }) {
  if (urls.length === 0) return null
  return (
    <View className='photo-grid'>
      {urls.map((url, i) => (
        <Image
          key={url}
          className='photo-grid-item'
          src={url}
          mode='aspectFill'
          lazyLoad
          {...imageAlt(`照片 ${i + 1}`)}
          {...pressable(() => void previewImage({ current: url, urls: [...urls] }), { label: `查看照片 ${i + 1}（共 ${urls.length} 张）` })}
          onClick={() => void previewImage({ current: url, urls: [...urls] })}
        />
      ))}
    </View>
  )
}
