import { useState } from 'react'
import { View, Text, Button } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { CommunityPicker, type TerritoryPick } from '../../../components/community-picker'
import { isApiError } from '../../../services/api-error'
import type { ReportDraft } from '../../../services/report-draft'
import { territoryService } from '../../../services/territory.service'
import { isWeapp } from '../../../utils/platform'
import './location-field.scss'

type Patch = Partial<Pick<ReportDraft, 'location' | 'locationLabel' | 'communityCode' | 'communityName' | 'address'>>

/**
 * Where the problem is: the phone's position (asked only now, when the form needs it), a point
 * picked on the map (WeChat), or, when location is refused or unavailable, the community chosen by
 * hand. A point is checked against the district at once, so "not in Pingcheng" shows before submit.
 */
export function LocationField(props: { draft: ReportDraft; onChange: (patch: Patch) => void; onError: (message: string | undefined) => void }) {
  const [locating, setLocating] = useState(false)
  const [denied, setDenied] = useState(false)
  const [manual, setManual] = useState(false)
  const { draft } = props

  async function describePoint(lat: number, lng: number, placeName?: string) {
    try {
      const where = await territoryService.locate(lat, lng)
      props.onChange({
        location: { lat, lng },
        locationLabel: `${where.street.name} ${where.community.name}${placeName ? ` · ${placeName}` : ''}`,
        communityCode: undefined,
        communityName: undefined
      })
      props.onError(undefined)
    } catch (err) {
      if (isApiError(err) && err.code === 'out_of_district') {
        props.onChange({ location: undefined, locationLabel: undefined })
        props.onError('该位置不在平城区内，请重新定位或选择社区')
      } else {
        // The point is still good for routing even if its name could not be looked up now.
        props.onChange({ location: { lat, lng }, locationLabel: placeName ?? `已定位（${lat.toFixed(5)}, ${lng.toFixed(5)}）`, communityCode: undefined, communityName: undefined })
        props.onError(undefined)
      }
    }
  }

  async function handleLocate() {
    setLocating(true)
    try {
      const pos = await Taro.getLocation({ type: 'wgs84' })
      setDenied(false)
      await describePoint(pos.latitude, pos.longitude)
    } catch {
      setDenied(true)
      setManual(true)
    } finally {
      setLocating(false)
    }
  }

  async function handleMapPick() {
    try {
      const picked = await Taro.chooseLocation({})
      await describePoint(picked.latitude, picked.longitude, picked.name)
      if (!draft.address.trim() && picked.address) props.onChange({ address: picked.address })
    } catch {
      // Closed without choosing, or map permission refused: the community picker remains.
      setManual(true)
    }
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
      {draft.locationLabel || draft.communityName ? (
        <View className='location-current'>
          <Text className='location-pin'>●</Text>
          <Text className='location-label'>{draft.location ? draft.locationLabel : `${draft.communityName}（手动选择）`}</Text>
        </View>
      ) : null}
      <View className='btn-row'>
        <Button className='btn btn-ghost locate-me' onClick={() => void handleLocate()}>
          {locating ? '正在定位…' : draft.location ? '重新定位' : '获取当前位置'}
        </Button>
        {isWeapp ? (
          <Button className='btn map-pick' onClick={() => void handleMapPick()}>
            在地图上选点
          </Button>
        ) : null}
      </View>
      {denied ? (
        <View className='notice location-denied'>未能获取您的位置（可能未授权定位）。没关系，请在下面选择问题所在的社区。</View>
      ) : null}
      {manual ? (
        <CommunityPicker depth='community' onChange={handleCommunity} />
      ) : (
        <View className='location-manual-link' onClick={() => setManual(true)}>
          不方便定位？手动选择社区 ›
        </View>
      )}
    </View>
  )
}
