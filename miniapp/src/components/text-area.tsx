import { Textarea, View } from '@tarojs/components'
import { isH5 } from '../utils/platform'

/**
 * Long text, the same on every form. H5: the browser's own <textarea> inside the field's box. Taro's
 * H5 Textarea counts its lines with several forced layouts of the whole page when it is drawn and on
 * every keystroke (60 ms of a phone's main thread on the report form's first draw,
 * docs/performance.md). WeChat: Taro's Textarea, the native control. `className` is the field's box;
 * the control is `.taro-textarea` on H5, the class Taro gives its own inner textarea.
 */
export function TextArea(p: { className: string; value: string; onChange: (value: string) => void; label: string; placeholder?: string }) {
  if (!isH5) {
    return <Textarea className={p.className} value={p.value} placeholder={p.placeholder} maxlength={-1} aria-label={p.label} onInput={(e) => p.onChange(e.detail.value)} />
  }
  return (
    <View className={p.className}>
      <textarea className='taro-textarea' value={p.value} placeholder={p.placeholder} aria-label={p.label} onChange={(e) => p.onChange(e.currentTarget.value)} />
    </View>
  )
}
