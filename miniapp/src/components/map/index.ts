/**
 * The map of the mini-program (docs/maps.md "The map component"): `PlaceMap` draws the district's grids
 * and picks a point (mode 'pick') or shows markers (mode 'view'); `openNavigation` opens a point in
 * WeChat's map or Amap. H5: Leaflet, loaded lazily; WeChat: the native map (place-map.weapp.tsx).
 */
export { PlaceMap } from './place-map'
export { openNavigation, navigationUrl, type NavigationTarget } from './navigate'
export { pointIn } from './coords'
export { MARKER_COLOURS, DISTRICT_CENTRE, type MapMarker, type MapPoint, type MarkerTone, type PlaceMapProps } from './map-types'
