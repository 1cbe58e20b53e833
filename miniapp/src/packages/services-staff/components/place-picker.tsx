import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { ActionButton } from '../../../components/buttons'
import { territoryService } from '../../../services/territory.service'
import { isWeapp } from '../../../utils/platform'

export type Point = { lat: number; lng: number }

/** The mean corner of a community's grids: a point inside it, for staff who set a place from a desk. */
export async function communityCentre(communityCode: string): Promise<Point | undefined> {
  const grids = await territoryService.listGrids(communityCode)
  const corners = grids.flatMap((g) => (g.polygon.coordinates[0] ?? []).slice(0, -1))
  if (corners.length === 0) return undefined
  return { lat: corners.reduce((s, c) => s + c[1], 0) / corners.length, lng: corners.reduce((s, c) => s + c[0], 0) / corners.length }
}

/** Where a point is: here (the phone's position), a map pick (WeChat), or the community's centre. */
export function PlacePicker({ value, communityCode, onChange }: { value?: Point; communityCode?: string; onChange: (p: Point, address?: string) => void }) {
  const [busy, setBusy] = useState(false)
  async function run(get: () => Promise<{ point?: Point; address?: string }>) {
    setBusy(true)
    try {
      const got = await get()
      if (got.point) onChange(got.point, got.address)
      else void Taro.showToast({ title: '未能确定位置', icon: 'none' })
    } catch {
      void Taro.showToast({ title: '未能获取位置', icon: 'none' })
    } finally {
      setBusy(false)
    }
  }
  return (
    <View className='place-picker'>
      <Text className={value ? '' : 'muted'}>{value ? `已选位置：${value.lat.toFixed(5)}, ${value.lng.toFixed(5)}` : '尚未选择位置'}</Text>
      <View className='btn-row'>
        <ActionButton
          kind='ghost'
          busy={busy}
          onClick={() =>
            void run(async () => {
              const p = await Taro.getLocation({ type: 'wgs84' })
              return { point: { lat: p.latitude, lng: p.longitude } }
            })
          }
        >
          当前位置
        </ActionButton>
        {isWeapp ? (
          <ActionButton
            kind='plain'
            busy={busy}
            onClick={() =>
              void run(async () => {
                const p = await Taro.chooseLocation({})
                return { point: { lat: p.latitude, lng: p.longitude }, address: p.address }
              })
            }
          >
            地图选点
          </ActionButton>
        ) : null}
        {communityCode ? (
          <ActionButton kind='plain' busy={busy} onClick={() => void run(async () => ({ point: await communityCentre(communityCode) }))}>
            社区中心
          </ActionButton>
        ) : null}
      </View>
    </View>
  )
}
