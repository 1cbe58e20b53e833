import { useEffect, useMemo, useRef, useState } from 'react'
import { Map, View, CoverView } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { MapGridsView } from '@palm/shared'
import { mapsService } from '../../services/maps.service'
import { pointIn } from './coords'
import { DISTRICT_CENTRE, MARKER_COLOURS, type PlaceMapProps } from './map-types'
import './place-map.scss'

let mapSeq = 0

/**
 * The WeChat map (docs/maps.md): the native `map` component, which draws in GCJ-02, so the grids are
 * asked in GCJ-02 and a picked point is reported as gcj02 (the server converts). pick: the pin stays
 * in the middle; dragging the map or tapping a spot moves the point. view: markers clustered by the
 * map itself (joinCluster), tap one to open it.
 */
export function PlaceMap(props: PlaceMapProps) {
  const mapId = useRef(`place-map-${++mapSeq}`).current
  const [grids, setGrids] = useState<MapGridsView | null>(null)
  const centerKey = props.center ? `${props.center.lat},${props.center.lng},${props.center.coordSystem}` : ''
  // A new centre (by value, not by object) restarts the map there.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const start = useMemo(() => pointIn(props.center ?? { ...DISTRICT_CENTRE, coordSystem: 'wgs84' }, 'gcj02'), [centerKey])
  const [centre, setCentre] = useState(start)
  const gridsKey = JSON.stringify(props.grids ?? {})

  useEffect(() => setCentre(start), [start])
  useEffect(() => {
    mapsService.grids('gcj02', props.grids).then(setGrids, () => setGrids(null))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [gridsKey])
  useEffect(() => {
    if (props.mode !== 'view') return
    Taro.createMapContext(mapId)
      .initMarkerCluster({ enableDefaultStyle: true, zoomOnClick: true, gridSize: 60 })
      .catch(() => undefined)
  }, [mapId, props.mode])

  const polygons = useMemo(
    () =>
      (grids?.features ?? []).map((f) => ({
        points: (f.geometry.coordinates[0] ?? []).map(([lng, lat]) => ({ latitude: lat, longitude: lng })),
        strokeWidth: 2,
        strokeColor: '#1f6febE6',
        fillColor: '#1f6feb10',
        zIndex: 1
      })),
    [grids]
  )
  const ids = useMemo(() => (props.markers ?? []).map((m) => m.id), [props.markers])
  const markers = useMemo(
    () =>
      (props.markers ?? []).map((m, index) => {
        const p = pointIn(m.point, 'gcj02')
        return {
          id: index,
          latitude: p.lat,
          longitude: p.lng,
          iconPath: '',
          width: 24,
          height: 24,
          ariaLabel: m.label,
          joinCluster: true,
          callout: { content: m.label, color: '#ffffff', bgColor: MARKER_COLOURS[m.tone], padding: 6, borderRadius: 6, display: 'BYCLICK' as const, fontSize: 12 }
        }
      }),
    [props.markers]
  )

  function pick(latitude: number, longitude: number) {
    setCentre({ lat: latitude, lng: longitude, coordSystem: 'gcj02' })
    props.onPick?.({ lat: latitude, lng: longitude, coordSystem: 'gcj02' })
  }

  return (
    <View className={`place-map place-map-${props.mode}`} aria-label={props.label}>
      <View className='place-map-frame' style={{ height: `${props.height ?? 320}px` }}>
        <Map
          id={mapId}
          style={{ width: '100%', height: '100%' }}
          latitude={centre.lat}
          longitude={centre.lng}
          scale={props.center ? 16 : 13}
          polygons={polygons}
          markers={markers as never}
          showLocation
          onError={() => undefined}
          onTap={(e) => {
            if (props.mode !== 'pick') return
            const d = e.detail as { latitude?: number; longitude?: number }
            if (typeof d.latitude === 'number' && typeof d.longitude === 'number') pick(d.latitude, d.longitude)
          }}
          onRegionChange={(e) => {
            // Base libraries differ: 'end' and causedBy come on the event itself or in its detail.
            const raw = e as unknown as { type?: string; causedBy?: string; detail?: { type?: string; causedBy?: string; centerLocation?: { latitude: number; longitude: number } } }
            const detail = raw.detail ?? {}
            if (props.mode !== 'pick' || (raw.type !== 'end' && detail.type !== 'end')) return
            const causedBy = detail.causedBy ?? raw.causedBy
            if (causedBy !== 'drag' && causedBy !== 'gesture') return
            if (detail.centerLocation) pick(detail.centerLocation.latitude, detail.centerLocation.longitude)
            else
              Taro.createMapContext(mapId)
                .getCenterLocation({})
                .then((c) => pick(c.latitude, c.longitude))
                .catch(() => undefined)
          }}
          onMarkerTap={(e) => {
            const id = ids[Number((e.detail as { markerId?: number }).markerId)]
            if (id) props.onMarkerTap?.(id)
          }}
          onCalloutTap={(e) => {
            const id = ids[Number((e.detail as { markerId?: number }).markerId)]
            if (id) props.onMarkerTap?.(id)
          }}
        />
        {props.mode === 'pick' ? <CoverView className='place-map-pin' /> : null}
      </View>
      {props.mode === 'pick' ? <View className='place-map-hint muted'>拖动地图或点击位置，使图钉对准问题所在处。</View> : null}
    </View>
  )
}
