import { View, Image } from '@tarojs/components'
import Taro from '@tarojs/taro'
import './photo-grid.scss'

/** Thumbnails that open the full-screen viewer (Taro.previewImage) on tap. */
export function PhotoGrid({ urls }: { urls: readonly string[] }) {
  if (urls.length === 0) return null
  return (
    <View className='photo-grid'>
      {urls.map((url) => (
        <Image
          key={url}
          className='photo-grid-item'
          src={url}
          mode='aspectFill'
          lazyLoad
          onClick={() => void Taro.previewImage({ current: url, urls: [...urls] })}
        />
      ))}
    </View>
  )
}
