import { useCallback, useEffect, useState } from 'react'
import Taro from '@tarojs/taro'

export type PositionState = { status: 'locating' } | { status: 'ok'; lat: number; lng: number } | { status: 'denied' }

/**
 * The phone's position, asked once when the page opens (and again on demand). Refusal is an
 * ordinary answer: lists then show without distances.
 */
export function usePosition() {
  const [state, setState] = useState<PositionState>({ status: 'locating' })
  const locate = useCallback(async () => {
    setState({ status: 'locating' })
    try {
      const pos = await Taro.getLocation({ type: 'wgs84' })
      setState({ status: 'ok', lat: pos.latitude, lng: pos.longitude })
    } catch {
      setState({ status: 'denied' })
    }
  }, [])
  useEffect(() => {
    void locate()
  }, [locate])
  return { state, locate }
}
