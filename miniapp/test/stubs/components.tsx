/**
 * DOM stand-ins for @tarojs/components with Taro-shaped events (`{ detail: { value } }`), so pages
 * render in jsdom (recipes/taro.md §4.3).
 */
import React from 'react'

type Props = Record<string, unknown> & { children?: React.ReactNode; className?: string }
type Handler = ((e: unknown) => void) | undefined

const TARO_ONLY = [
  'hoverClass',
  'hoverStyle',
  'hoverStayTime',
  'scrollY',
  'scrollX',
  'lowerThreshold',
  'onScrollToLower',
  'enableBackToTop',
  'refresherEnabled',
  'refresherTriggered',
  'onRefresherRefresh',
  'lazyLoad',
  'showMenuByLongpress',
  'confirmType',
  'adjustPosition',
  'placeholderClass',
  'cursorSpacing',
  'autoHeight',
  'maxlength',
  'formType',
  'openType',
  'plain',
  'loading',
  'mode',
  'range',
  'rangeKey',
  'userSelect',
  'selectable',
  'onConfirm'
]

function domProps(p: Props): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(p)) {
    // Taro H5 hands `nativeProps` to the inner native element (an input's aria-label): so does the stub.
    if (k === 'nativeProps') Object.assign(out, v as Record<string, unknown>)
    else if (!TARO_ONLY.includes(k) && k !== 'children') out[k] = v
  }
  return out
}

export const View = (p: Props) => <div {...domProps(p)}>{p.children}</div>
export const Text = (p: Props) => <span {...domProps(p)}>{p.children}</span>
export const Block = ({ children }: Props) => <>{children}</>
export const Image = (p: Props) => <img alt='' {...domProps(p)} />
export const ScrollView = (p: Props) => <div {...domProps(p)}>{p.children}</div>
export const Label = (p: Props) => <label {...domProps(p)}>{p.children}</label>
export const Button = (p: Props) => (
  <button type='button' data-type={String(p.type ?? '')} {...domProps({ ...p, type: undefined })} disabled={Boolean(p.disabled)}>
    {p.children}
  </button>
)
export const Input = (p: Props) => {
  const onInput = p.onInput as Handler
  return (
    <input
      {...domProps({ ...p, onInput: undefined, password: undefined, value: undefined })}
      type={p.password ? 'password' : 'text'}
      value={String(p.value ?? '')}
      maxLength={typeof p.maxlength === 'number' && p.maxlength > 0 ? p.maxlength : undefined}
      onChange={(e) => onInput?.({ detail: { value: e.target.value } })}
    />
  )
}
export const Textarea = (p: Props) => {
  const onInput = p.onInput as Handler
  return <textarea {...domProps({ ...p, onInput: undefined, value: undefined })} value={String(p.value ?? '')} onChange={(e) => onInput?.({ detail: { value: e.target.value } })} />
}
export const Switch = (p: Props) => {
  const onChange = p.onChange as Handler
  return (
    <input
      type='checkbox'
      role='switch'
      {...domProps({ ...p, onChange: undefined, checked: undefined })}
      checked={Boolean(p.checked)}
      onChange={(e) => onChange?.({ detail: { value: e.target.checked } })}
    />
  )
}
export const Picker = (p: Props) => {
  const range = (p.range as unknown[] | undefined) ?? []
  const rangeKey = p.rangeKey as string | undefined
  const onChange = p.onChange as Handler
  return (
    <div className={p.className} data-testid={p['data-testid'] as string | undefined}>
      {p.children}
      <select aria-label={String(p['aria-label'] ?? 'picker')} value={String(p.value ?? '')} disabled={Boolean(p.disabled)} onChange={(e) => onChange?.({ detail: { value: Number(e.target.value) } })}>
        <option value=''>—</option>
        {range.map((r, i) => (
          <option key={i} value={i}>
            {rangeKey && typeof r === 'object' && r !== null ? String((r as Record<string, unknown>)[rangeKey]) : String(r)}
          </option>
        ))}
      </select>
    </div>
  )
}
