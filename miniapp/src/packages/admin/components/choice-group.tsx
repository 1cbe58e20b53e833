import { View, Text } from '@tarojs/components'
import { pressable } from '../../../components/a11y'

/**
 * A labelled group of large radio choices (role, status, weekday), reachable with Tab and chosen
 * with Enter or Space in H5; screen readers hear "角色, radio group" and each choice's state.
 */
export function ChoiceGroup<V extends string>(props: {
  name: string
  label: string
  options: ReadonlyArray<{ value: V; label: string }>
  value: V | undefined
  onChange: (v: V) => void
  error?: string
  hideLabel?: boolean
  disabled?: boolean
}) {
  return (
    <View className={`field field-${props.name}${props.error ? ' has-error' : ''}`} data-field={props.name}>
      {props.hideLabel ? null : (
        <View className='field-label'>
          <Text>{props.label}</Text>
        </View>
      )}
      <View className='role-choices' role='radiogroup' aria-label={props.label}>
        {props.options.map((o) => {
          const choose = () => {
            if (!props.disabled) props.onChange(o.value)
          }
          return (
            <View
              key={o.value}
              className={`role-choice choice-${props.name}-${o.value}${o.value === props.value ? ' is-active' : ''}`}
              {...pressable(choose, { role: 'radio' })}
              aria-checked={o.value === props.value}
              aria-disabled={props.disabled || undefined}
              onClick={choose}
            >
              {o.label}
            </View>
          )
        })}
      </View>
      {props.error ? (
        <View className='field-error' role='alert'>
          {props.error}
        </View>
      ) : null}
    </View>
  )
}
