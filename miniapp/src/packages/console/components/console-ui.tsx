import type { ReactNode } from 'react'
import { View, Text } from '@tarojs/components'
import { pressable } from '../../../components/a11y'
import { useSession } from '../../../hooks/use-session'

/**
 * What only the admin console has: a row that opens a page and who may write. Its forms use the
 * app's building blocks (components/fields.tsx, buttons.tsx, choice-group.tsx), named and reachable
 * with Tab in H5 (docs/console.md).
 */

/**
 * A row that opens something, reachable with Tab and Enter. Its name is its visible text (a label
 * that left some of it out failed axe's label-content-name-mismatch).
 */
export function LinkRow(p: { onOpen: () => void; className?: string; children: ReactNode }) {
  return (
    <View className={`row console-row ${p.className ?? ''}`} {...pressable(p.onOpen, { role: 'link' })} onClick={p.onOpen}>
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
