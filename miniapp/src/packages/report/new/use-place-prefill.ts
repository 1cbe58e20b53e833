import { useEffect, useState } from 'react'
import Taro from '@tarojs/taro'
import { PLACE_KIND_NAMES, type PlaceSceneView } from '@palm/shared'
import { isApiError } from '../../../services/api-error'
import { placesService } from '../../../services/places.service'
import { errorMessage } from '../../../services/show-error'
import { Routes } from '../../../utils/routes'
import type { ReportDraft } from '../../../services/report-draft'

/**
 * A place's QR code (一码通, docs/places-and-grids.md) opens the report form with `scene`: in WeChat
 * as the page option of wxacode.getUnlimited, in H5 as `?scene=` of the code's address. The scene
 * is resolved by the server (signature and date checked there) and the place's point, community and
 * address go into the draft; the resident still writes what is wrong and may move the point.
 */

/** The scene the page was opened with, if any (WeChat hands it URL-encoded). */
export function sceneParam(): string | undefined {
  const raw = Taro.getCurrentInstance?.()?.router?.params?.scene
  if (!raw) return undefined
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

/** The report form's own address with the scene, so a sign-in in between comes back to the same code. */
export function reportUrlWithScene(): string {
  const scene = sceneParam()
  return scene ? `${Routes.report}?scene=${encodeURIComponent(scene)}` : Routes.report
}

export type PlacePrefill = { status: 'none' } | { status: 'loading' } | { status: 'ok'; place: PlaceSceneView } | { status: 'error'; message: string }

/** What the draft becomes for a resolved place: its point, where it is, and its address. */
export function draftPatchFor(place: PlaceSceneView): Partial<ReportDraft> {
  return {
    location: { lat: place.point.lat, lng: place.point.lng },
    locationLabel: `${place.street.name} ${place.community.name} · ${place.grid.name}`,
    communityCode: place.community.code,
    communityName: place.community.name,
    address: place.place.address ? `${place.place.name}（${place.place.address}）` : place.place.name
  }
}

/** Resolves the page's scene once and fills the draft; says what happened for the banner. */
export function usePlacePrefill(update: (patch: Partial<ReportDraft>) => void): PlacePrefill {
  const [state, setState] = useState<PlacePrefill>(() => (sceneParam() ? { status: 'loading' } : { status: 'none' }))
  useEffect(() => {
    const scene = sceneParam()
    if (!scene) return
    let live = true
    placesService
      .resolveScene(scene)
      .then((place) => {
        if (!live) return
        update(draftPatchFor(place))
        setState({ status: 'ok', place })
      })
      .catch((err: unknown) => {
        if (live) setState({ status: 'error', message: isApiError(err) ? errorMessage(err) : '二维码读取失败，请直接填写上报' })
      })
    return () => {
      live = false
    }
  }, [update])
  return state
}

/** The banner's sentence for a resolved place. */
export function placeBannerText(place: PlaceSceneView): string {
  return `已为您填好地点：${place.place.name}（${PLACE_KIND_NAMES[place.place.kind]}），${place.grid.name}`
}
