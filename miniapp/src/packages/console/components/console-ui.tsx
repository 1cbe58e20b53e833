import type { ReactNode } from 'react'
import { View, Text, Input, Switch, Button } from '@tarojs/components'
import { fieldA11y, pressable, switchA11y } from '../../../components/a11y'
import { Field } from '../../../components/field'
import { useSession } from '../../../hooks/use-session'
import { isH5 } from '../../../utils/platform'

/**
 * In H5 the name goes on the native control inside Taro's custom element only, so that a label
 * (getByLabel, a screen reader) finds exactly one element; in WeChat on the component itself.
 */
function innerName(props: { 'aria-label': string; nativeProps?: Record<string, unknown> }) {
  return isH5 && props.nativeProps ? { nativeProps: props.nativeProps } : props
}

/**
 * Form controls of the admin console, each with an accessible name and reachable with Tab in H5:
 * a text field that submits on Enter, a switch, and a button that also answers Enter and Space
 * (docs/console.md). Radio choices are the app's ChoiceGroup (components/choice-group.tsx).
 */

export function ConsoleInput(p: {
  name: string
  label: string
  value: string
  onChange: (v: string) => void
  onSubmit?: () => void
  error?: string
  hint?: string
  required?: boolean
  placeholder?: string
  maxlength?: number
  type?: 'text' | 'digit'
  disabled?: boolean
}) {
  return (
    <Field name={p.name} label={p.label} required={p.required} error={p.error} hint={p.hint}>
      <Input
        className={`field-input input-${p.name}`}
        type={p.type ?? 'text'}
        value={p.value}
        placeholder={p.placeholder}
        maxlength={p.maxlength ?? 64}
        disabled={p.disabled}
        confirmType='done'
        {...innerName(fieldA11y(p.label))}
        onInput={(e) => p.onChange(e.detail.value)}
        onConfirm={() => p.onSubmit?.()}
      />
    </Field>
  )
}

export function ToggleField(p: { name: string; label: string; checked: boolean; onChange: (v: boolean) => void; hint?: string }) {
  return (
    <View className={`field console-toggle field-${p.name}`} data-field={p.name}>
      <View className='console-toggle-row'>
        <Text className='field-label'>{p.label}</Text>
        <Switch checked={p.checked} color='#c8102e' {...innerName(switchA11y(p.label))} onChange={(e) => p.onChange(Boolean(e.detail.value))} />
      </View>
      {p.hint ? <View className='field-hint'>{p.hint}</View> : null}
    </View>
  )
}

export function ConsoleButton(p: {
  children: ReactNode
  onPress: () => void
  kind?: 'primary' | 'ghost' | 'danger'
  busy?: boolean
  busyText?: string
  disabled?: boolean
  className?: string
  label?: string
}) {
  const off = Boolean(p.busy || p.disabled)
  const press = () => {
    if (!off) p.onPress()
  }
  return (
    <Button
      className={`btn btn-${p.kind ?? 'primary'} ${p.className ?? ''}${off ? ' btn-disabled' : ''}`}
      disabled={off || undefined}
      aria-disabled={off || undefined}
      {...pressable(press, p.label ? { label: p.label } : {})}
      onClick={press}
    >
      {p.busy ? (p.busyText ?? '请稍候…') : p.children}
    </Button>
  )
}

/** A row that opens something, reachable with Tab and Enter. */
export function LinkRow(p: { label: string; onOpen: () => void; className?: string; children: ReactNode }) {
  return (
    <View className={`row console-row ${p.className ?? ''}`} {...pressable(p.onOpen, { role: 'link', label: p.label })} onClick={p.onOpen}>
      {p.children}
      <Text className='muted' aria-hidden='true'>
        ›
      </Text>
    </View>
  )
}

/** The district admin writes; a street admin reads (the server checks again on every call). */
export function useConsoleAccess(): { canWrite: boolean } {
  const session = useSession()
  return { canWrite: session?.user.role === 'district_admin' }
}

export const CONSOLE_READERS = ['district_admin', 'street_admin'] as const
