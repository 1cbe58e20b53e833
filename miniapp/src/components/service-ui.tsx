import type { ReactNode } from 'react'
import { View, Text, Input, Textarea, Button } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { Role } from '@palm/shared'
import { namedInput } from './a11y'
import { Field } from './field'
import { DateTimePicker, OptionPicker } from './option-picker'
import { useSession } from '../hooks/use-session'
import { Routes, openPage } from '../utils/routes'
import './service-ui.scss'

/**
 * Small building blocks of the service pages (testing points, legal consultations, tip-offs, the
 * alliance and their staff pages), on top of the app's Field and global tokens, so every form and
 * list of these services looks and behaves the same, in 长辈模式 too.
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

/** "标签：值" on one line, wrapping long values. */
export function InfoRow({ label, children, className = '' }: { label: string; children: ReactNode; className?: string }) {
  return (
    <View className={`info-row ${className}`}>
      <Text className='info-label'>{label}</Text>
      <View className='info-value'>{children}</View>
    </View>
  )
}

export type Tone = 'ok' | 'warn' | 'danger' | 'plain'
export function Tag({ tone = 'plain', children, className = '' }: { tone?: Tone; children: ReactNode; className?: string }) {
  const toneClass = tone === 'plain' ? '' : ` tag-${tone}`
  return <Text className={`tag${toneClass} ${className}`}>{children}</Text>
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

export function TextField(p: InputProps) {
  return (
    <Field name={p.name} label={p.label} required={p.required} error={p.error} hint={p.hint}>
      <Input
        className={`field-input input-${p.name}`}
        type={p.type ?? 'text'}
        placeholder={p.placeholder}
        value={p.value}
        maxlength={p.maxlength ?? 140}
        {...namedInput(p.label)}
        onInput={(e) => p.onChange(e.detail.value)}
      />
    </Field>
  )
}

export function TextAreaField(p: Omit<InputProps, 'type'>) {
  return (
    <Field name={p.name} label={p.label} required={p.required} error={p.error} hint={p.hint}>
      <Textarea className={`field-textarea input-${p.name}`} placeholder={p.placeholder} value={p.value} maxlength={-1} {...namedInput(p.label)} onInput={(e) => p.onChange(e.detail.value)} />
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

/** The page's main button; shows `busyText` and ignores taps while its action runs. */
export function ActionButton(p: { children: ReactNode; busy?: boolean; busyText?: string; onClick: () => void; className?: string; kind?: 'primary' | 'ghost' | 'plain'; disabled?: boolean }) {
  const kind = p.kind ?? 'primary'
  const off = p.busy || p.disabled
  return (
    <Button className={`btn ${kind === 'plain' ? '' : `btn-${kind}`} ${p.className ?? ''}${off ? ' btn-disabled' : ''}`} disabled={off || undefined} onClick={p.onClick}>
      {p.busy ? (p.busyText ?? '请稍候…') : p.children}
    </Button>
  )
}

/** In place of a page that needs a signed-in user: says why, and comes back here after sign-in. */
export function SignInCard({ reason, back }: { reason: string; back: string }) {
  return (
    <View className='card sign-in-needed'>
      <View className='card-title'>请先登录</View>
      <View className='muted'>{reason}</View>
      <Button className='btn btn-primary btn-block sign-in-needed-btn' onClick={() => openPage(Routes.signIn(back))}>
        登录
      </Button>
    </View>
  )
}

/**
 * Renders children only for the given staff roles; others see who may use the page and a way to
 * switch account (the server checks the role and scope again on every call).
 */
export function StaffOnly({ roles, back, children }: { roles: readonly Role[]; back: string; children: ReactNode }) {
  const session = useSession()
  if (session && roles.includes(session.user.role)) return <>{children}</>
  return (
    <View className='card staff-only'>
      <View className='card-title'>仅限相关工作人员</View>
      <View className='muted'>请使用有权限的工作人员账号登录。</View>
      <Button className='btn btn-primary btn-block' onClick={() => openPage(Routes.signIn(back))}>
        切换账号
      </Button>
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
