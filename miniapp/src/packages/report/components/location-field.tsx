import { useRef, useState } from 'react'
import { View, Text, Button } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { pressable } from '../../../components/a11y'
import { CommunityPicker, type TerritoryPick } from '../../../components/community-picker'
import { PlaceMap, type MapPoint } from '../../../components/map/index'
import { isApiError } from '../../../services/api-error'
import type { ReportDraft } from '../../../services/report-draft'
import { territoryService } from '../../../services/territory.service'
import './location-field.scss'

type Patch = Partial<Pick<ReportDraft, 'location' | 'locationLabel' | 'communityCode' | 'communityName' | 'address'>>

/**
 * Where the problem is (docs/maps.md): the phone's position (asked only now, when the form needs it),
 * a point picked on the map (WeChat's map or, on H5, the grid map), or, when location is refused or
 * unavailable, the community chosen by hand. Every point keeps the system it came in (GPS wgs84,
 * WeChat's map gcj02) and is sent so; the server converts. The server names the community and grid
 * under the point at once, so "not in Pingcheng" shows before submit, and the address is filled in
 * from them while the resident has not written one.
 */
export function LocationField(props: { draft: ReportDraft; onChange: (patch: Patch) => void; onError: (message: string | undefined) => void }) {
  const [locating, setLocating] = useState(false)
  const [denied, setDenied] = useState(false)
  const [manual, setManual] = useState(false)
  const [mapOpen, setMapOpen] = useState(false)
  const [mapStart, setMapStart] = useState<MapPoint | undefined>(undefined)
  /** The address this field filled in last; replaced on the next pick only while the resident left it as it was. */
  const filledAddress = useRef<string | undefined>(undefined)
  /** Picks arrive as the map moves; only the latest one's answer counts. */
  const pickSeq = useRef(0)
  const { draft } = props

  async function describePoint(point: MapPoint) {
    const seq = ++pickSeq.current
    const location = { lat: point.lat, lng: point.lng, coordSystem: point.coordSystem }
    try {
      const where = await territoryService.locate(point.lat, point.lng, point.coordSystem)
      if (seq !== pickSeq.current) return
      const address = `${where.community.name}（${where.grid.name}）`
      const keepAddress = draft.address.trim() !== '' && draft.address !== filledAddress.current
      if (!keepAddress) filledAddress.current = address
      props.onChange({
        location,
        locationLabel: `${where.street.name} ${where.community.name} · ${where.grid.name}`,
        communityCode: undefined,
        communityName: undefined,
        ...(keepAddress ? {} : { address })
      })
      props.onError(undefined)
    } catch (err) {
      if (seq !== pickSeq.current) return
      if (isApiError(err) && err.code === 'out_of_district') {
        props.onChange({ location: undefined, locationLabel: undefined })
        props.onError('该位置不在平城区内，请重新定位或选择社区')
      } else {
        // The point is still good for routing even if its name could not be looked up now.
        props.onChange({ location, locationLabel: `已定位（${point.lat.toFixed(5)}, ${point.lng.toFixed(5)}）`, communityCode: undefined, communityName: undefined })
        props.onError(undefined)
      }
    }
  }

  /** The phone's GPS position (WGS-84), or undefined when refused or unavailable. */
  async function gpsPoint(): Promise<MapPoint | undefined> {
    try {
      const pos = await Taro.getLocation({ type: 'wgs84' })
      setDenied(false)
      return { lat: pos.latitude, lng: pos.longitude, coordSystem: 'wgs84' }
    } catch {
      setDenied(true)
      return undefined
    }
  }

  async function handleLocate() {
    setLocating(true)
    try {
      const point = await gpsPoint()
      if (point) {
        setMapStart(point)
        await describePoint(point)
      } else setManual(true)
    } finally {
      setLocating(false)
    }
  }

  async function handleOpenMap() {
    if (mapOpen) {
      setMapOpen(false)
      return
    }
    // The map opens where the problem was put already, else at the phone's position, else over the district.
    if (draft.location) setMapStart({ lat: draft.location.lat, lng: draft.location.lng, coordSystem: draft.location.coordSystem ?? 'wgs84' })
    else if (!mapStart) {
      setLocating(true)
      const point = await gpsPoint()
      setLocating(false)
      if (point) {
        setMapStart(point)
        await describePoint(point)
      }
    }
    setMapOpen(true)
  }

  function handleCommunity(pick: TerritoryPick | undefined) {
    if (!pick?.community) return
    props.onChange({
      location: undefined,
      locationLabel: undefined,
      communityCode: pick.community.code,
      communityName: `${pick.street.name} ${pick.community.name}`
    })
    props.onError(undefined)
  }

  return (
    <View className='location-field'>
      <View className='location-current' aria-live='polite'>
        {draft.locationLabel || draft.communityName ? (
          <>
            <Text className='location-pin'>●</Text>
            <Text className='location-label'>{draft.location ? draft.locationLabel : `${draft.communityName}（手动选择）`}</Text>
          </>
        ) : null}
      </View>
      <View className='btn-row'>
        <Button className='btn btn-ghost locate-me' onClick={() => void handleLocate()}>
          {locating ? '正在定位…' : draft.location ? '重新定位' : '获取当前位置'}
        </Button>
        <Button className='btn map-pick' aria-expanded={mapOpen} onClick={() => void handleOpenMap()}>
          {mapOpen ? '收起地图' : '在地图上选点'}
        </Button>
      </View>
      {mapOpen ? <PlaceMap mode='pick' label='在地图上选择问题位置：图钉在地图中央' center={mapStart} onPick={(p) => void describePoint(p)} /> : null}
      {denied ? <View className='notice location-denied'>未能获取您的位置（可能未授权定位）。没关系，请在地图上选点，或在下面选择问题所在的社区。</View> : null}
      {manual ? (
        <CommunityPicker depth='community' onChange={handleCommunity} />
      ) : (
        <View className='location-manual-link' {...pressable(() => setManual(true))} onClick={() => setManual(true)}>
          不方便定位？手动选择社区 ›
        </View>
      )}
    </View>
  )
}
