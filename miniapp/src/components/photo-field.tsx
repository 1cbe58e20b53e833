import { useEffect } from 'react'
import { View, Image, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { TicketLimits } from '@palm/shared'
import { rememberLocalFile } from '../services/local-files'
import type { DraftPhoto } from '../services/report-draft'
import { isWeapp } from '../utils/platform'
import { imageAlt, pressable } from './a11y'
import { chooseMedia, preloadMediaCalls, previewImage } from './media'
import './photo-field.scss'

/** Compresses in WeChat (H5 has no compressImage; the server re-encodes and caps size anyway). */
async function compress(path: string): Promise<string> {
  if (!isWeapp) return path
  try {
    const res = await Taro.compressImage({ src: path, quality: 70 })
    return res.tempFilePath
  } catch {
    return path
  }
}

/** Up to TicketLimits.maxPhotos photos from the camera or album, compressed, each removable and previewable. */
export function PhotoField(props: { photos: readonly DraftPhoto[]; uploading: readonly string[]; onAdd: (paths: string[]) => void; onRemove: (path: string) => void }) {
  const remaining = TicketLimits.maxPhotos - props.photos.length
  // The picker's code arrives while the form is being filled in, not on the tap (media.ts).
  useEffect(preloadMediaCalls, [])

  async function handlePick() {
    try {
      const res = await chooseMedia({ count: remaining, mediaType: ['image'], sizeType: ['compressed'], sourceType: ['album', 'camera'] })
      for (const f of res.tempFiles) rememberLocalFile(f.tempFilePath, (f as { originalFileObj?: unknown }).originalFileObj)
      const paths = await Promise.all(res.tempFiles.map((f) => compress(f.tempFilePath)))
      props.onAdd(paths)
    } catch {
      // The user closed the picker: nothing to do.
    }
  }

  const urls = props.photos.map((p) => p.localPath)
  return (
    <View className='photo-field'>
      {props.photos.map((p, i) => (
        <View key={p.localPath} className='photo-thumb'>
          <Image
            className='photo-thumb-img'
            src={p.localPath}
            mode='aspectFill'
            {...imageAlt(`照片 ${i + 1}`)}
            {...pressable(() => void previewImage({ current: p.localPath, urls }), { label: `查看照片 ${i + 1}` })}
            onClick={() => void previewImage({ current: p.localPath, urls })}
          />
          {props.uploading.includes(p.localPath) ? <Text className='photo-thumb-state'>上传中</Text> : p.uploadId ? null : <Text className='photo-thumb-state'>待上传</Text>}
          <View className='photo-thumb-remove' role='button' aria-label={`删除照片 ${i + 1}`} onClick={() => props.onRemove(p.localPath)}>
            ×
          </View>
        </View>
      ))}
      {remaining > 0 ? (
        <View className='photo-add' role='button' aria-label='拍照/相册：添加现场照片' onClick={() => void handlePick()}>
          <Text className='photo-add-plus' aria-hidden>
            +
          </Text>
          <Text className='photo-add-text'>拍照/相册</Text>
        </View>
      ) : null}
    </View>
  )
}
