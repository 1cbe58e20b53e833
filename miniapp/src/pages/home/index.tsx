import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { PageShell } from '../../components/page-shell'
import { PrivacyGate } from '../../components/privacy-gate'
import { hasDraft } from '../../services/report-draft-waiting'
import { messagesService } from '../../services/messages.service'
import { getSession } from '../../services/session'
import { useSettings } from '../../hooks/use-settings'
import { Routes, openPage, openSignedIn } from '../../utils/routes'
import './index.scss'

interface Tile {
  key: string
  /** Hidden in 长辈模式 (fewer choices per screen, docs/domain.md "What residents expect"); still one tap away under 全部服务. */
  rare?: boolean
  title: string
  subtitle: string
  glyph: string
  color: string
  open: () => void
}

const TILES: Tile[] = [
  { key: 'report', title: '随手拍', subtitle: '身边问题随手报', glyph: '拍', color: '#c8102e', open: () => openSignedIn(Routes.report) },
  { key: 'testing', title: '核酸检测点', subtitle: '就近查询与申请', glyph: '检', color: '#1f8a4c', rare: true, open: () => openPage(Routes.points) },
  { key: 'legal', title: '法律咨询', subtitle: '三级法律援助预约', glyph: '法', color: '#1f5fbf', open: () => openPage(Routes.legalStations) },
  { key: 'fraud', title: '反诈举报', subtitle: '可匿名提供线索', glyph: '诈', color: '#d46b08', open: () => openSignedIn(Routes.fraudTip) },
  { key: 'hazard', title: '隐患举报', subtitle: '自建房、消防、燃气', glyph: '险', color: '#a8071a', rare: true, open: () => openSignedIn(Routes.hazardTip) },
  { key: 'alliance', title: '平城反诈', subtitle: '志愿者联盟', glyph: '盟', color: '#722ed1', rare: true, open: () => openPage(Routes.alliance) },
  { key: 'public', title: '回复公开', subtitle: '看看办理结果', glyph: '公', color: '#08979c', rare: true, open: () => openPage(Routes.publicBoard) },
  { key: 'mygrid', title: '我的网格', subtitle: '网格员与社区电话', glyph: '格', color: '#1f6feb', open: () => openSignedIn(Routes.myGrid) },
  { key: 'notices', title: '通知公告', subtitle: '预警与提醒', glyph: '告', color: '#5c6370', open: () => openPage(Routes.notices) }
]

export default function HomePage() {
  const { elderMode } = useSettings()
  const [draftWaiting, setDraftWaiting] = useState(false)
  const [showAll, setShowAll] = useState(false)
  const tiles = elderMode && !showAll ? TILES.filter((t) => !t.rare) : TILES
  useDidShow(() => {
    setDraftWaiting(hasDraft())
    // The 消息 tab shows how many messages wait, wherever the resident is.
    if (!getSession()) return
    messagesService
      .unreadCount()
      .then((n) => (n > 0 ? Taro.setTabBarBadge({ index: 1, text: n > 99 ? '99+' : String(n) }) : Taro.removeTabBarBadge({ index: 1 })))
      .catch(() => undefined)
  })

  return (
    <PageShell className='home'>
      <View className='home-banner'>
        <Text className='home-banner-title'>掌上平城</Text>
        <Text className='home-banner-sub'>平城区社会治理 · 有事找网格</Text>
      </View>
      {draftWaiting ? (
        <View className='notice home-draft' role='link' onClick={() => openSignedIn(Routes.report)}>
          您有一条未提交的随手拍，点此继续填写 ›
        </View>
      ) : null}
      <View className={`home-grid${elderMode ? ' is-elder' : ''}`}>
        {tiles.map((tile) => (
          <View key={tile.key} className={`home-tile tile-${tile.key}`} onClick={tile.open} role='link'>
            <View className='home-tile-glyph' style={{ background: tile.color }} aria-hidden>
              {tile.glyph}
            </View>
            <Text className='home-tile-title'>{tile.title}</Text>
            {elderMode ? null : <Text className='home-tile-sub'>{tile.subtitle}</Text>}
          </View>
        ))}
      </View>
      {elderMode ? (
        <View className='btn btn-block home-show-all' role='button' aria-expanded={showAll} onClick={() => setShowAll(!showAll)}>
          {showAll ? '收起不常用的服务' : `全部服务（还有 ${TILES.length - tiles.length} 项）`}
        </View>
      ) : null}
      <View className='card home-help'>
        <View className='card-title'>遇到问题怎么办？</View>
        <View className='muted'>拍照、定位、说清楚，随手拍会自动交给您所在网格的网格员，并在规定时限内回复您。紧急情况请拨打 110、119、120。</View>
      </View>
      <PrivacyGate />
    </PageShell>
  )
}
