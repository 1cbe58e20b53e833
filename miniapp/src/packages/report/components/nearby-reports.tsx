import { useEffect, useState } from 'react'
import { View, Text, Button } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { CoordSystem, NearbyTicketView } from '@palm/shared'
import { ticketsService } from '../../../services/tickets.service'
import { showError } from '../../../services/show-error'
import { STATE_LABELS, formatDistance, formatTime } from '../../../utils/format'
import { Routes, openPage } from '../../../utils/routes'

/**
 * Open reports of the same category within 250 m, shown before submitting: following one gets the
 * resident the same news without filing the same problem twice.
 */
export function NearbyReports(props: { lat: number; lng: number; coordSystem?: CoordSystem; category: string; categoryName?: string }) {
  const [items, setItems] = useState<NearbyTicketView[]>([])
  const [following, setFollowing] = useState<string[]>([])
  const { lat, lng, category } = props
  const coordSystem = props.coordSystem ?? 'wgs84'

  useEffect(() => {
    let live = true
    ticketsService
      .nearby(lat, lng, category, coordSystem)
      .then((list) => live && setItems(list))
      .catch(() => live && setItems([]))
    return () => {
      live = false
    }
  }, [lat, lng, category, coordSystem])

  async function handleFollow(id: string) {
    try {
      await ticketsService.follow(id)
      setFollowing((f) => [...f, id])
      void Taro.showToast({ title: '已关注，有进展会通知您', icon: 'none' })
    } catch (err) {
      void showError(err)
    }
  }

  if (items.length === 0) return null
  return (
    <View className='card nearby'>
      <View className='card-title'>附近已有 {items.length} 件相同问题正在处理</View>
      <View className='muted'>如果是同一件事，关注它即可收到办理进展，无需重复上报。</View>
      {items.map((t) => {
        const isFollowing = t.following || following.includes(t.id)
        return (
          <View key={t.id} className='nearby-item'>
            <View className='nearby-text' role='link' onClick={() => openPage(Routes.ticket(t.id))}>
              <Text className='nearby-summary'>{t.summary ?? props.categoryName ?? '相同类别的问题'}</Text>
              <Text className='muted'>
                {formatDistance(t.distance)} · {STATE_LABELS[t.state]} · {formatTime(t.createdAt)} · {t.followers} 人关注
              </Text>
            </View>
            <Button className={`btn ${isFollowing ? 'is-following' : 'btn-ghost'} nearby-follow`} onClick={() => (isFollowing ? undefined : void handleFollow(t.id))}>
              {isFollowing ? '已关注' : '关注'}
            </Button>
          </View>
        )
      })}
    </View>
  )
}
