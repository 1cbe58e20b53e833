import L from 'leaflet'
import 'leaflet.markercluster'
import 'leaflet/dist/leaflet.css'
import 'leaflet.markercluster/dist/MarkerCluster.css'
import 'leaflet.markercluster/dist/MarkerCluster.Default.css'
import type { CoordSystem, MapGridsView, MapTilesView } from '@palm/shared'
import { pointIn } from './coords'
import { DISTRICT_CENTRE, MARKER_COLOURS, type MapMarker, type MapPoint } from './map-types'

/*
 * The H5 map (Leaflet), loaded only when a map is shown: place-map.tsx imports this module with
 * import(), so Leaflet is a chunk of its own and never in the first page's bundle (docs/maps.md).
 */

export interface LeafletMapOptions {
  mode: 'pick' | 'view'
  label: string
  system: CoordSystem
  tiles: MapTilesView | undefined
  grids: MapGridsView
  center: MapPoint | undefined
  onPick: (point: MapPoint) => void
  onMarkerTap: (id: string) => void
  onTilesFailed: () => void
}

export interface LeafletMapHandle {
  setMarkers(markers: readonly MapMarker[]): void
  setCenter(point: MapPoint): void
  destroy(): void
}

/** Tile errors before the map gives up on the tile source and keeps the grid layer alone. */
const TILE_ERRORS_BEFORE_FALLBACK = 4

export function createLeafletMap(element: HTMLElement, options: LeafletMapOptions): LeafletMapHandle {
  // No inertia while picking: the pin stops where the finger let go.
  const map = L.map(element, {
    zoomControl: true,
    inertia: options.mode !== 'pick',
    keyboard: true,
    keyboardPanDelta: 60,
    attributionControl: !!options.tiles,
    minZoom: 11,
    maxZoom: options.tiles?.maxZoom ?? 19
  })
  // Leaflet makes the container focusable (arrow keys pan, +/- zoom); give it a name.
  element.setAttribute('aria-label', options.label)
  element.setAttribute('role', 'application')
  element.setAttribute('aria-roledescription', '地图')

  addTiles(map, options)
  openAtStart(map, addGridLayer(map, options), options)

  if (options.mode === 'pick') {
    // The pin stays in the middle (place-map.scss draws it); the map moves under it: drag, tap or arrow keys.
    map.on('click', (e: L.LeafletMouseEvent) => map.panTo(e.latlng))
    map.on('moveend', () => {
      const c = map.getCenter()
      options.onPick({ lat: round7(c.lat), lng: round7(c.lng), coordSystem: options.system })
    })
  }

  const cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50, spiderfyOnMaxZoom: true })
  map.addLayer(cluster)

  return {
    setMarkers(markers) {
      cluster.clearLayers()
      cluster.addLayers(markers.map((m) => markerOf(m, options)))
    },
    setCenter(point) {
      const p = pointIn(point, options.system)
      map.setView([p.lat, p.lng], Math.max(map.getZoom(), 16))
    },
    destroy() {
      map.remove()
    }
  }
}

/** The district's own grid outlines, named on hover: the base layer that needs no tile server. */
function addGridLayer(map: L.Map, options: LeafletMapOptions): L.GeoJSON {
  return L.geoJSON(options.grids as GeoJSON.FeatureCollection, {
    style: { color: '#1f6feb', weight: 1.5, opacity: 0.9, fillColor: '#1f6feb', fillOpacity: 0.05 },
    onEachFeature: (feature, layer) => {
      const props = feature.properties as { name?: string; communityName?: string }
      layer.bindTooltip(`${props.communityName ?? ''} ${props.name ?? ''}`.trim(), { sticky: true, direction: 'top' })
    }
  }).addTo(map)
}

/** At the given point (street zoom), else over the grids drawn, else over the district. */
function openAtStart(map: L.Map, grids: L.GeoJSON, options: LeafletMapOptions): void {
  const centre = options.center ? pointIn(options.center, options.system) : undefined
  if (centre) map.setView([centre.lat, centre.lng], 16)
  else if (grids.getBounds().isValid()) map.fitBounds(grids.getBounds(), { padding: [12, 12] })
  else {
    const c = pointIn({ ...DISTRICT_CENTRE, coordSystem: 'wgs84' }, options.system)
    map.setView([c.lat, c.lng], 12)
  }
}

function round7(n: number): number {
  return Math.round(n * 1e7) / 1e7
}

function addTiles(map: L.Map, options: LeafletMapOptions): void {
  const tiles = options.tiles
  if (!tiles) return
  let errors = 0
  let loaded = 0
  const layers = tiles.urls.map((url) => L.tileLayer(url, { subdomains: tiles.subdomains || 'abc', maxZoom: tiles.maxZoom, attribution: tiles.attribution }))
  for (const layer of layers) {
    layer.on('tileload', () => {
      loaded += 1
    })
    layer.on('tileerror', () => {
      errors += 1
      // Tiles unreachable (no network to the provider, a wrong key): drop them, the grid layer stays usable.
      if (loaded === 0 && errors >= TILE_ERRORS_BEFORE_FALLBACK) {
        for (const l of layers) map.removeLayer(l)
        options.onTilesFailed()
      }
    })
    layer.addTo(map)
  }
}

function markerOf(m: MapMarker, options: LeafletMapOptions): L.Marker {
  const p = pointIn(m.point, options.system)
  const icon = L.divIcon({
    className: `palm-marker palm-marker-${m.tone}`,
    html: `<span style="background:${MARKER_COLOURS[m.tone]}"></span>`,
    iconSize: [22, 22],
    iconAnchor: [11, 11]
  })
  const marker = L.marker([p.lat, p.lng], { icon, keyboard: true, title: m.label, alt: m.label })
  marker.on('click', () => options.onMarkerTap(m.id))
  marker.on('add', () => {
    const el = marker.getElement()
    if (!el) return
    el.setAttribute('role', 'button')
    el.setAttribute('aria-label', m.label)
    el.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault()
        options.onMarkerTap(m.id)
      }
    })
  })
  return marker
}
