import { useEffect, useRef, useState } from 'react'
import { Button, View, Text } from '@tarojs/components'
import { metaService } from '../../services/meta.service'
import { mapsService } from '../../services/maps.service'
import type { LeafletMapHandle } from './leaflet-map'
import type { PlaceMapProps } from './map-types'
import './place-map.scss'

/**
 * The map of the H5 app (docs/maps.md): the district's own grid polygons as the base layer, so it
 * works with no tile server, and the configured tiles (/api/meta `mapTiles`) under them when they
 * load. Leaflet is imported on first use, as a chunk of its own. The WeChat build uses
 * place-map.weapp.tsx (the native map) instead of this file.
 */
export function PlaceMap(props: PlaceMapProps) {
  const element = useRef<HTMLDivElement | null>(null)
  const handle = useRef<LeafletMapHandle | null>(null)
  const latest = useRef(props)
  latest.current = props
  const [status, setStatus] = useState<'loading' | 'ready' | 'failed'>('loading')
  const [tilesFailed, setTilesFailed] = useState(false)
  const [attempt, setAttempt] = useState(0)
  const gridsKey = JSON.stringify(props.grids ?? {})

  useEffect(() => {
    let cancelled = false
    setStatus('loading')
    void (async () => {
      const meta = await metaService.get().catch(() => undefined)
      const tiles = meta?.mapTiles
      const system = tiles?.coordSystem ?? 'wgs84'
      const [{ createLeafletMap }, grids] = await Promise.all([import(/* webpackChunkName: "leaflet-map" */ './leaflet-map'), mapsService.grids(system, latest.current.grids)])
      if (cancelled || !element.current) return
      handle.current = createLeafletMap(element.current, {
        mode: latest.current.mode,
        label: latest.current.label,
        system,
        tiles,
        grids,
        center: latest.current.center,
        onPick: (p) => latest.current.onPick?.(p),
        onMarkerTap: (id) => latest.current.onMarkerTap?.(id),
        onTilesFailed: () => setTilesFailed(true)
      })
      handle.current.setMarkers(latest.current.markers ?? [])
      setStatus('ready')
    })().catch(() => {
      if (!cancelled) setStatus('failed')
    })
    return () => {
      cancelled = true
      handle.current?.destroy()
      handle.current = null
    }
  }, [gridsKey, attempt])

  useEffect(() => {
    handle.current?.setMarkers(props.markers ?? [])
  }, [props.markers, status])

  const centerKey = props.center ? `${props.center.lat},${props.center.lng},${props.center.coordSystem}` : ''
  useEffect(() => {
    if (props.center && status === 'ready') handle.current?.setCenter(props.center)
    // Only a new centre from outside (GPS) moves the map; the map's own moves come back through onPick.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [centerKey])

  return (
    <View className={`place-map place-map-${props.mode}`}>
      <View className='place-map-frame' style={{ height: `${props.height ?? 320}px` }}>
        <div ref={element} className='place-map-canvas' />
        {props.mode === 'pick' && status === 'ready' ? <View className='place-map-pin' aria-hidden /> : null}
        {status === 'loading' ? <View className='place-map-status'>地图加载中…</View> : null}
        {status === 'failed' ? (
          <View className='place-map-status'>
            <Text>地图暂时无法加载。</Text>
            <Button className='btn btn-ghost place-map-retry' onClick={() => setAttempt((n) => n + 1)}>
              重试
            </Button>
          </View>
        ) : null}
      </View>
      {props.mode === 'pick' ? <View className='place-map-hint muted'>拖动地图或点击位置，使图钉对准问题所在处；也可聚焦地图后用方向键移动、用 +/- 缩放。</View> : null}
      {tilesFailed ? <View className='place-map-hint muted place-map-tiles-failed'>底图暂不可用，地图只显示网格边界。</View> : null}
    </View>
  )
}
