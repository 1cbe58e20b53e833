import Taro from '@tarojs/taro'
import { isWeapp } from '../../utils/platform'
import { pointIn } from './coords'
import type { MapPoint } from './map-types'

export interface NavigationTarget {
  point: MapPoint
  name: string
  address?: string
}

/**
 * Amap's public URI (no key): opens the Amap app or its web page with a marker and "到这去". It reads
 * WGS-84 when told `coordinate=wgs84`, so the stored point goes as it is.
 */
export function navigationUrl(target: NavigationTarget): string {
  const p = pointIn(target.point, 'wgs84')
  const name = encodeURIComponent(target.name)
  return `https://uri.amap.com/marker?position=${p.lng},${p.lat}&name=${name}&coordinate=wgs84&callnative=1&src=palm-pingcheng`
}

/**
 * Navigation to a point: WeChat's own map (openLocation wants GCJ-02, so the stored WGS-84 point is
 * converted; without that the pin lands ~600 m off), or on H5 Amap in a new tab.
 */
export async function openNavigation(target: NavigationTarget): Promise<void> {
  if (isWeapp) {
    const p = pointIn(target.point, 'gcj02')
    await Taro.openLocation({ latitude: p.lat, longitude: p.lng, name: target.name, address: target.address ?? '', scale: 17 }).catch(() => undefined)
    return
  }
  if (typeof window !== 'undefined') window.open(navigationUrl(target), '_blank', 'noopener')
}
