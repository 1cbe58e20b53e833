import { View, Text, Input, Switch } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { namedInput, namedSwitch } from './a11y'
import { Field } from './field'
import { DateTimePicker, OptionPicker } from './option-picker'
import { TextArea } from './text-area'
import './page-blocks.scss'

/**
 * The app's form controls on top of Field: text, long text, choices, dates, a switch, a notice over
 * the form and the scroll to the first error. Every page's forms use these (residents' services, staff pages,
 * the admin console), so a field looks, reads out and behaves the same everywhere, in 长辈模式 too.
 */

export interface Choice<V extends string> {
  value: V
  label: string
}

/** A row of large segmented choices (filters, levels, days). */
export function Chips<V extends string>(props: { options: readonly Choice<V>[]; value: V; onChange: (v: V) => void; className?: string }) {
  return (
    <View className={`chips ${props.className ?? ''}`} role='tablist'>
      {props.options.map((o) => (
        <View key={o.value} className={`chip chip-${o.value}${o.value === props.value ? ' is-active' : ''}`} role='tab' aria-selected={o.value === props.value} onClick={() => props.onChange(o.value)}>
          {o.label}
        </View>
      ))}
    </View>
  )
}

interface InputProps {
  name: string
  label: string
  value: string
  onChange: (value: string) => void
  error?: string
  hint?: string
  required?: boolean
  placeholder?: string
  maxlength?: number
  type?: 'text' | 'number' | 'digit' | 'idcard'
}

/**
 * A one-line text field named by its label. `onSubmit` runs on the keyboard's 完成 / Enter (a short
 * admin form that saves from the keyboard).
 */
export function TextField(p: InputProps & { onSubmit?: () => void; disabled?: boolean }) {
  return (
    <Field name={p.name} label={p.label} required={p.required} error={p.error} hint={p.hint}>
      <Input
        className={`field-input input-${p.name}`}
        type={p.type ?? 'text'}
        placeholder={p.placeholder}
        value={p.value}
        maxlength={p.maxlength ?? 140}
        disabled={p.disabled}
        confirmType='done'
        {...namedInput(p.label)}
        onInput={(e) => p.onChange(e.detail.value)}
        onConfirm={() => p.onSubmit?.()}
      />
    </Field>
  )
}

export function TextAreaField(p: Omit<InputProps, 'type'>) {
  return (
    <Field name={p.name} label={p.label} required={p.required} error={p.error} hint={p.hint}>
      <TextArea className={`field-textarea input-${p.name}`} placeholder={p.placeholder} value={p.value} label={p.label} onChange={p.onChange} />
      {p.maxlength ? <View className={`char-count${p.value.length > p.maxlength ? ' is-over' : ''}`}>{`${p.value.length}/${p.maxlength}`}</View> : null}
    </Field>
  )
}

/** A selector over labelled choices; shows `placeholder` until one is chosen. */
export function SelectField<V extends string>(p: {
  name: string
  label: string
  options: readonly Choice<V>[]
  value: V | undefined
  onChange: (v: V) => void
  error?: string
  hint?: string
  required?: boolean
  placeholder?: string
}) {
  const index = p.options.findIndex((o) => o.value === p.value)
  return (
    <Field name={p.name} label={p.label} required={p.required} error={p.error} hint={p.hint}>
      <OptionPicker
        options={p.options}
        index={index}
        optionLabel={(o) => o.label}
        onPick={(i) => {
          const chosen = p.options[i]
          if (chosen) p.onChange(chosen.value)
        }}
        label={p.label}
        placeholder={p.placeholder ?? '请选择'}
        className={`picker-${p.name}`}
      />
    </Field>
  )
}

/** A date (`YYYY-MM-DD`) or time (`HH:MM`) picker in a field. */
export function DateTimeField(p: { name: string; label: string; mode: 'date' | 'time'; value: string; onChange: (v: string) => void; error?: string; required?: boolean }) {
  return (
    <Field name={p.name} label={p.label} required={p.required} error={p.error}>
      <DateTimePicker mode={p.mode} value={p.value} onPick={p.onChange} label={p.label} className={`picker-${p.name}`} />
    </Field>
  )
}

/**
 * An on/off setting: its label (and a muted line saying what it does) beside the switch, which is
 * named by the label and has the class `<name>-switch` for tests. In a form pass className 'field'
 * for the form's spacing and a bold label.
 */
export function ToggleField(p: { name: string; label: string; checked: boolean; onChange: (v: boolean) => void; hint?: string; disabled?: boolean; className?: string }) {
  return (
    <View className={`switch-row toggle-${p.name} ${p.className ?? ''}`} data-field={p.name}>
      <View className='switch-text'>
        <Text className='switch-label'>{p.label}</Text>
        {p.hint ? <Text className='muted switch-hint'>{p.hint}</Text> : null}
      </View>
      <Switch className={`${p.name}-switch`} checked={p.checked} disabled={p.disabled || undefined} color='#c8102e' {...namedSwitch(p.label)} onChange={(e) => p.onChange(Boolean(e.detail.value))} />
    </View>
  )
}

/** A clear, persistent message at the top of a form (a refused booking, a closed sign-up). */
export function FormNotice({ message, className = '' }: { message?: string; className?: string }) {
  if (!message) return null
  return (
    <View className={`notice form-notice ${className}`} role='alert'>
      {message}
    </View>
  )
}

/** Brings the first field with an error into view (a long form on a small phone). */
export function scrollToFirstError(): void {
  setTimeout(() => void Taro.pageScrollTo?.({ selector: '.has-error', duration: 200 })?.catch(() => undefined), 50)
}
