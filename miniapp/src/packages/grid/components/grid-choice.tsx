import { useEffect, useState } from 'react'
import { View, Input } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { namedInput } from '../../../components/a11y'
import { Chips } from '../../../components/fields'
import { useSession } from '../../../hooks/use-session'
import { apiRequest } from '../../../services/api-client'

interface GridOption {
  value: string
  label: string
}

/** The grids a staff member works in: a worker's own, a community's or a street's (the district admin types a code). */
async function gridsOfScope(scope: { gridCodes?: readonly string[]; gridCode?: string; communityCode?: string; streetCode?: string }): Promise<GridOption[]> {
  const query = scope.communityCode ? { communityCode: scope.communityCode } : scope.streetCode ? { streetCode: scope.streetCode } : null
  const named = query ? await apiRequest<Array<{ code: string; name: string }>>({ path: '/api/territory/grids', query, auth: false }) : []
  const mine = scope.gridCodes?.length ? scope.gridCodes : scope.gridCode ? [scope.gridCode] : []
  if (mine.length) return mine.map((code) => ({ value: code, label: named.find((g) => g.code === code)?.name ?? code }))
  return named.map((g) => ({ value: g.code, label: g.name }))
}

/**
 * Which grid the page is about: chips of the staff member's grids, the first chosen at once
 * (`?grid=` preselects one); a district admin types a grid code.
 */
export function useGridChoice(): { grid: string | undefined; chooser: JSX.Element } {
  const session = useSession()
  const preset = Taro.getCurrentInstance?.()?.router?.params?.grid
  const [options, setOptions] = useState<GridOption[]>([])
  const [grid, setGrid] = useState<string | undefined>(preset)
  const [typed, setTyped] = useState(preset ?? '')
  const isDistrict = session?.user.role === 'district_admin'

  useEffect(() => {
    if (!session || isDistrict) return
    gridsOfScope(session.user.scope)
      .then((list) => {
        setOptions(list)
        setGrid((g) => g ?? list[0]?.value)
      })
      .catch(() => setOptions([]))
  }, [session, isDistrict])

  const chooser = isDistrict ? (
    <View className='grid-picker-row'>
      <Input
        className='field-input grid-code-input'
        placeholder='输入网格编号，如 066-012'
        value={typed}
        {...namedInput('网格编号')}
        onInput={(e) => setTyped(e.detail.value)}
        onConfirm={() => setGrid(typed.trim() || undefined)}
        onBlur={() => setGrid(typed.trim() || undefined)}
      />
    </View>
  ) : options.length > 1 ? (
    <Chips options={options.slice(0, 40)} value={grid ?? ''} onChange={setGrid} className='grid-picker-row' />
  ) : (
    <View />
  )
  return { grid, chooser }
}
