import Taro from '@tarojs/taro'
import { isWeapp } from '../../../utils/platform'

/**
 * Hands a PNG (a data: URL from the server) to the person to print or keep: WeChat writes it to the
 * user folder and opens the preview (long press to save or send); H5 downloads it.
 */
export async function saveDataUrlImage(dataUrl: string, fileName: string): Promise<void> {
  const base64 = dataUrl.replace(/^data:image\/png;base64,/, '')
  if (isWeapp) {
    const filePath = `${Taro.env.USER_DATA_PATH ?? ''}/${fileName}`
    await new Promise<void>((resolve, reject) => Taro.getFileSystemManager().writeFile({ filePath, data: base64, encoding: 'base64', success: () => resolve(), fail: reject }))
    await Taro.previewImage({ urls: [filePath] })
    return
  }
  const a = document.createElement('a')
  a.href = dataUrl
  a.download = fileName
  document.body.appendChild(a)
  a.click()
  a.remove()
}
