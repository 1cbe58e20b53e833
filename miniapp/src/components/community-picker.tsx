import { useEffect, useState } from 'react'
import { View, Text, Picker } from '@tarojs/components'
import type { CommunityView, GridView, StreetView } from '@palm/shared'
import { territoryService } from '../services/territory.service'
import { errorMessage } from '../services/show-error'
import './community-picker.scss'

export interface TerritoryPick {
  street: StreetView
  community?: CommunityView
  grid?: GridView
}

/**
 * Street → community (→ grid) pickers over the public territory API. Used when location is refused
 * (a report still names its community) and by the demo sign-in to choose a grid worker's grid.
 */
export function CommunityPicker(props: { depth: 'community' | 'grid'; onChange: (pick: TerritoryPick | undefined) => void; initial?: { streetCode?: string; communityCode?: string; gridCode?: string } }) {
  const [streets, setStreets] = useState<StreetView[]>([])
  const [communities, setCommunities] = useState<CommunityView[]>([])
  const [grids, setGrids] = useState<GridView[]>([])
  const [street, setStreet] = useState<StreetView>()
  const [community, setCommunity] = useState<CommunityView>()
  const [grid, setGrid] = useState<GridView>()
  const [error, setError] = useState<string>()
  const { onChange, depth, initial } = props

  useEffect(() => {
    territoryService
      .listStreets()
      .then((list) => {
        setStreets(list)
        const preset = list.find((s) => s.code === initial?.streetCode)
        if (preset) void chooseStreet(preset, initial?.communityCode, initial?.gridCode)
      })
      .catch((err: unknown) => setError(errorMessage(err)))
  }, [])

  async function chooseStreet(s: StreetView, presetCommunity?: string, presetGrid?: string) {
    setStreet(s)
    setCommunity(undefined)
    setGrid(undefined)
    setCommunities([])
    setGrids([])
    onChange(undefined)
    try {
      const list = await territoryService.listCommunities(s.code)
      setCommunities(list)
      const preset = list.find((c) => c.code === presetCommunity)
      if (preset) await chooseCommunity(s, preset, presetGrid)
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  async function chooseCommunity(s: StreetView, c: CommunityView, presetGrid?: string) {
    setCommunity(c)
    setGrid(undefined)
    if (depth === 'community') {
      onChange({ street: s, community: c })
      return
    }
    onChange(undefined)
    try {
      const list = await territoryService.listGrids(c.code)
      setGrids(list)
      const preset = list.find((g) => g.code === presetGrid)
      if (preset) chooseGrid(s, c, preset)
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  function chooseGrid(s: StreetView, c: CommunityView, g: GridView) {
    setGrid(g)
    onChange({ street: s, community: c, grid: g })
  }

  return (
    <View className='community-picker'>
      {error ? <View className='field-error'>{error}</View> : null}
      <Picker
        mode='selector'
        range={streets}
        rangeKey='name'
        aria-label='选择街道'
        value={Math.max(0, streets.findIndex((s) => s.code === street?.code))}
        onChange={(e) => {
          const s = streets[Number(e.detail.value)]
          if (s) void chooseStreet(s)
        }}
      >
        <View className='field-picker picker-street'>
          <Text className={street ? '' : 'muted'}>{street ? street.name : '选择街道'}</Text>
          <Text className='muted'>›</Text>
        </View>
      </Picker>
      <Picker
        mode='selector'
        range={communities}
        rangeKey='name'
        aria-label='选择社区'
        disabled={!street || undefined}
        value={Math.max(0, communities.findIndex((c) => c.code === community?.code))}
        onChange={(e) => {
          const c = communities[Number(e.detail.value)]
          if (c && street) void chooseCommunity(street, c)
        }}
      >
        <View className='field-picker picker-community'>
          <Text className={community ? '' : 'muted'}>{community ? community.name : street ? '选择社区（村）' : '请先选择街道'}</Text>
          <Text className='muted'>›</Text>
        </View>
      </Picker>
      {depth === 'grid' ? (
        <Picker
          mode='selector'
          range={grids}
          rangeKey='name'
          aria-label='选择网格'
          disabled={!community || undefined}
          value={Math.max(0, grids.findIndex((g) => g.code === grid?.code))}
          onChange={(e) => {
            const g = grids[Number(e.detail.value)]
            if (g && street && community) chooseGrid(street, community, g)
          }}
        >
          <View className='field-picker picker-grid'>
            <Text className={grid ? '' : 'muted'}>{grid ? grid.name : community ? '选择网格' : '请先选择社区'}</Text>
            <Text className='muted'>›</Text>
          </View>
        </Picker>
      ) : null}
    </View>
  )
}
