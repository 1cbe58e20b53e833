import { Picker, Text, View } from '@tarojs/components'
import { isH5 } from '../utils/platform'
import './option-picker.scss'

/**
 * One choice out of a list, the same on every form (docs/accessibility.md).
 *
 * WeChat: Taro's Picker (the native bottom wheel). H5: a native <select> laid invisibly over the
 * field, so the keyboard (Tab, arrows, Enter, Space), screen readers and phone browsers all get the
 * control they know, named by `label`. Taro's H5 Picker draws a wheel that only a pointer can turn.
 * The visible face (`className`, e.g. `category-picker`) shows the choice or the placeholder.
 */
export function OptionPicker<T>(p: {
  options: readonly T[]
  /** Index of the chosen option; -1 for none (the placeholder shows). */
  index: number
  optionLabel: (option: T) => string
  onPick: (index: number) => void
  /** Accessible name (the field's label). */
  label: string
  placeholder: string
  className: string
  disabled?: boolean
}) {
  const chosen = p.index >= 0 ? p.options[p.index] : undefined
  const face = (
    <View className={`field-picker ${p.className}${p.disabled ? ' is-disabled' : ''}`} aria-hidden={isH5 || undefined}>
      <Text className={chosen === undefined ? 'muted' : ''}>{chosen === undefined ? p.placeholder : p.optionLabel(chosen)}</Text>
      <Text className='muted'>›</Text>
    </View>
  )
  if (!isH5) {
    return (
      <Picker
        mode='selector'
        range={p.options.map((o) => p.optionLabel(o))}
        aria-label={p.label}
        disabled={p.disabled || undefined}
        value={Math.max(0, p.index)}
        onChange={(e) => p.onPick(Number(e.detail.value))}
      >
        {face}
      </Picker>
    )
  }
  return (
    <View className='option-picker'>
      {face}
      <select
        className='option-picker-native'
        aria-label={p.label}
        disabled={p.disabled}
        value={p.index >= 0 ? String(p.index) : ''}
        onChange={(e) => {
          const i = Number(e.currentTarget.value)
          if (e.currentTarget.value !== '' && i >= 0) p.onPick(i)
        }}
      >
        {p.index < 0 ? (
          <option value='' disabled>
            （未选择）
          </option>
        ) : null}
        {p.options.map((o, i) => (
          <option key={i} value={String(i)}>
            {p.optionLabel(o)}
          </option>
        ))}
      </select>
    </View>
  )
}

/**
 * A date (`YYYY-MM-DD`) or time (`HH:MM`): Taro's Picker in WeChat, the browser's own
 * <input type=date|time> in H5 (keyboard- and screen-reader-usable), over the same visible face.
 */
export function DateTimePicker(p: { mode: 'date' | 'time'; value: string; onPick: (value: string) => void; label: string; className: string }) {
  const face = (
    <View className={`field-picker ${p.className}`} aria-hidden={isH5 || undefined}>
      <Text className={p.value ? '' : 'muted'}>{p.value || (p.mode === 'date' ? '选择日期' : '选择时间')}</Text>
      <Text className='muted'>›</Text>
    </View>
  )
  if (!isH5) {
    return (
      <Picker mode={p.mode} value={p.value} aria-label={p.label} onChange={(e) => p.onPick(String(e.detail.value))}>
        {face}
      </Picker>
    )
  }
  return (
    <View className='option-picker'>
      {face}
      <input
        className='option-picker-native'
        type={p.mode}
        aria-label={p.label}
        value={p.value}
        onChange={(e) => {
          if (e.currentTarget.value) p.onPick(e.currentTarget.value)
        }}
      />
    </View>
  )
}
