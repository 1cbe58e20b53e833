/** Stand-ins for the few NutUI components the app uses (see vitest.config.mts). */
import React from 'react'

type Props = Record<string, unknown> & { children?: React.ReactNode }

export const Rate = (p: Props) => {
  const onChange = p.onChange as ((v: number) => void) | undefined
  const count = Number(p.count ?? 5)
  return (
    <div role='radiogroup' aria-label='评分'>
      {Array.from({ length: count }, (_, i) => (
        <button key={i} type='button' aria-label={`${i + 1} 星`} onClick={() => onChange?.(i + 1)}>
          {i + 1}
        </button>
      ))}
    </div>
  )
}

export const Empty = (p: Props) => (
  <div data-testid='empty'>
    {String(p.description ?? '')}
    {p.children}
  </div>
)
