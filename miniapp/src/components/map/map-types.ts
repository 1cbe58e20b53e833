import type { CoordSystem } from '@palm/shared'
import type { GridFilter } from '../../services/maps.service'

/** A point and the system it is in. Send it to the API as it is: the server converts (docs/maps.md). */
export interface MapPoint {
  lat: number
  lng: number
  coordSystem: CoordSystem
}

/** The colour of a marker: open on time, overdue, done (closed/cancelled), or a place (testing point, station, QR place). */
export type MarkerTone = 'open' | 'overdue' | 'done' | 'place'

export interface MapMarker {
  id: string
  point: MapPoint
  /** Read out by screen readers and shown on tap: "PC20261130-AB12CD 垃圾堆积（已超时）". */
  label: string
  tone: MarkerTone
}

export interface PlaceMapProps {
  /** The accessible name of the map ("在地图上选择问题位置"). */
  label: string
  /** pick: a pin stays at the centre, moved by dragging, tapping or the arrow keys; view: markers only. */
  mode: 'pick' | 'view'
  /** Where the map opens (GPS, the ticket's point…); without one, the grids' extent. */
  center?: MapPoint
  /** Which grids to outline (default: the whole district). */
  grids?: GridFilter
  markers?: readonly MapMarker[]
  /** pick: the pin settled here, in the map's own system (gcj02 on WeChat, the tiles' system on H5). */
  onPick?: (point: MapPoint) => void
  onMarkerTap?: (id: string) => void
  /** CSS pixels; 320 by default. */
  height?: number
}

export const MARKER_COLOURS: Record<MarkerTone, string> = {
  open: '#1f6feb',
  overdue: '#d1242f',
  done: '#6e7781',
  place: '#1a7f37'
}

/** The district's middle, where a map without a point opens (docs/maps.md). */
export const DISTRICT_CENTRE = { lat: 40.08, lng: 113.3 } as const
