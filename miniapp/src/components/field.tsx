import type { ReactNode } from 'react'
import { View, Text } from '@tarojs/components'

/** A labelled form field with its error under it; `name` lets tests and e2e find it. */
export function Field(props: { name: string; label: string; required?: boolean; error?: string; hint?: string; children: ReactNode }) {
  return (
    <View className={`field field-${props.name}${props.error ? ' has-error' : ''}`} data-field={props.name}>
      <View className='field-label'>
        <Text>{props.label}</Text>
        {props.required ? <Text className='required'>*</Text> : null}
      </View>
      {props.children}
      {props.error ? (
        <View className='field-error' role='alert' data-error-for={props.name}>
          {props.error}
        </View>
      ) : null}
      {props.hint && !props.error ? <View className='field-hint'>{props.hint}</View> : null}
    </View>
  )
}
