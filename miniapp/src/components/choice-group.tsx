import { View } from '@tarojs/components'
import { pressable } from './a11y'
import { Field } from './field'
import './choice-group.scss'

export interface ChoiceGroupProps<V extends string> {
  name: string
  label: string
  options: ReadonlyArray<{ value: V; label: string }>
  value: V | undefined
  onChange: (v: V) => void
  error?: string
  hint?: string
  /** For a filter row whose purpose is plain from the page: the label is still the group's accessible name. */
  hideLabel?: boolean
  disabled?: boolean
}

/**
 * A labelled group of large radio choices (a role, a status, a routing mode), reachable with Tab and
 * chosen with Enter or Space in H5; screen readers hear "角色, radio group" and each choice's state.
 * Each choice has the class `choice-<name>-<value>` for tests.
 */
export function ChoiceGroup<V extends string>(props: ChoiceGroupProps<V>) {
  const group = (
    <View className='choice-group' role='radiogroup' aria-label={props.label}>
      {props.options.map((o) => {
        const choose = () => {
          if (!props.disabled) props.onChange(o.value)
        }
        return (
          <View
            key={o.value}
            className={`choice-item choice-${props.name}-${o.value}${o.value === props.value ? ' is-active' : ''}`}
            {...pressable(choose, { role: 'radio', label: o.label })}
            aria-checked={o.value === props.value}
            aria-disabled={props.disabled || undefined}
            onClick={choose}
          >
            {o.label}
          </View>
        )
      })}
    </View>
  )
  if (!props.hideLabel) {
    return (
      <Field name={props.name} label={props.label} error={props.error} hint={props.hint}>
        {group}
      </Field>
    )
  }
  return (
    <View className={`field field-${props.name}${props.error ? ' has-error' : ''}`} data-field={props.name}>
      {group}
      {props.error ? (
        <View className='field-error' role='alert' data-error-for={props.name}>
          {props.error}
        </View>
      ) : null}
    </View>
  )
}
