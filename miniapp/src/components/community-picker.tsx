import { useEffect, useState } from 'react'
import { View } from '@tarojs/components'
import type { CommunityView, GridView, StreetView } from '@palm/shared'
import { territoryService } from '../services/territory.service'
import { errorMessage } from '../services/show-error'
import { OptionPicker } from './option-picker'
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
export function CommunityPicker(props: {
  depth: 'community' | 'grid'
  onChange: (pick: TerritoryPick | undefined) => void
  initial?: { streetCode?: string; communityCode?: string; gridCode?: string }
}) {
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
      {error ? (
        <View className='field-error' role='alert'>
          {error}
        </View>
      ) : null}
      <OptionPicker
        options={streets}
        index={streets.findIndex((s) => s.code === street?.code)}
        optionLabel={(s) => s.name}
        onPick={(i) => {
          const s = streets[i]
          if (s) void chooseStreet(s)
        }}
        label='选择街道'
        placeholder='选择街道'
        className='picker-street'
      />
      <OptionPicker
        options={communities}
        index={communities.findIndex((c) => c.code === community?.code)}
        optionLabel={(c) => c.name}
        onPick={(i) => {
          const c = communities[i]
          if (c && street) void chooseCommunity(street, c)
        }}
        label='选择社区'
        placeholder={street ? '选择社区（村）' : '请先选择街道'}
        disabled={!street}
        className='picker-community'
      />
      {depth === 'grid' ? (
        <OptionPicker
          options={grids}
          index={grids.findIndex((g) => g.code === grid?.code)}
          optionLabel={(g) => g.name}
          onPick={(i) => {
            const g = grids[i]
            if (g && street && community) chooseGrid(street, community, g)
          }}
          label='选择网格'
          placeholder={community ? '选择网格' : '请先选择社区'}
          disabled={!community}
          className='picker-grid'
        />
      ) : null}
    </View>
  )
}
