import { randomUUID } from 'node:crypto'
import { PLACE_REPORT_PATH, PlaceLimits, type CreatePlaceInput, type PlaceKind, type PlaceSceneView, type PlaceView } from '@palm/shared'
import { In, type DataSource, type EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { withTx } from '../../db/tx'
import { isUniqueViolation } from '../../db/errors'
import { NotFoundError } from '../../errors'
import type { Actor } from '../auth/actor'
import { recordAudit } from '../audit/index'
import { Community, Grid, Street } from '../territory/territory.entity'
import { locatePoint } from '../territory/index'
import { presentPoint, toStoredPoint } from '../../http/coords'
import { Place } from './places.entity'
import { newPlaceCode, readScene } from './place-scene'
import { gridInScope, gridNotFound, requireGridInScope } from './places.scope'

const placeNotFound = (): NotFoundError => new NotFoundError('No such place in your area.')

/** Grid and community names for these places (two queries). */
async function namesOf(em: EntityManager, places: Place[]): Promise<{ grids: Map<string, string>; communities: Map<string, string> }> {
  const gridCodes = [...new Set(places.map((p) => p.gridCode))]
  const communityCodes = [...new Set(places.map((p) => p.communityCode))]
  const [grids, communities] = await Promise.all([
    gridCodes.length ? em.getRepository(Grid).find({ select: { code: true, name: true }, where: { code: In(gridCodes) } }) : [],
    communityCodes.length ? em.getRepository(Community).find({ select: { code: true, name: true }, where: { code: In(communityCodes) } }) : []
  ])
  return { grids: new Map(grids.map((g) => [g.code, g.name])), communities: new Map(communities.map((c) => [c.code, c.name])) }
}

export async function presentPlaces(em: EntityManager, places: Place[]): Promise<PlaceView[]> {
  const names = await namesOf(em, places)
  return places.map((p) => ({
    id: p.id,
    code: p.code,
    name: p.name,
    kind: p.kind as PlaceKind,
    address: p.address,
    point: presentPoint(Number(p.lat), Number(p.lng)),
    grid: { code: p.gridCode, name: names.grids.get(p.gridCode) ?? p.gridCode },
    community: { code: p.communityCode, name: names.communities.get(p.communityCode) ?? p.communityCode },
    createdAt: p.createdAt.toISOString()
  }))
}

/**
 * Makes a place at a point. The point's grid must lie in the caller's territory: a grid worker
 * places only in their grids, community staff in their community (404 otherwise, as if the grid
 * did not exist). Audited as `place.create` in the same transaction.
 * @throws NotFoundError out_of_district (no grid holds the point) or not_found (grid out of scope)
 */
export async function createPlace(deps: Pick<AppDeps, 'ds' | 'now'>, actor: Actor, input: CreatePlaceInput): Promise<PlaceView> {
  const point = toStoredPoint(input.point)
  const located = await locatePoint(deps.ds, point)
  if (!gridInScope(actor, located.grid)) throw gridNotFound()
  for (let attempt = 0; ; attempt++) {
    const row: Place = Object.assign(new Place(), {
      id: randomUUID(),
      code: newPlaceCode(),
      name: input.name,
      kind: input.kind,
      gridCode: located.grid.code,
      communityCode: located.grid.communityCode,
      streetCode: located.grid.streetCode,
      lat: point.lat,
      lng: point.lng,
      address: input.address || null,
      createdBy: actor.id,
      createdAt: deps.now()
    })
    try {
      await withTx(deps.ds, async (em) => {
        await em.getRepository(Place).insert(row)
        await recordAudit(em, { action: 'place.create', objectType: 'place', objectId: row.id, detail: { grid: row.gridCode, kind: row.kind } })
      })
      const [view] = await presentPlaces(deps.ds.manager, [await deps.ds.getRepository(Place).findOneByOrFail({ id: row.id })])
      return view as PlaceView
    } catch (err) {
      // Two places drew the same 8-character code (about one in 10^11): draw again.
      if (attempt < 2 && isUniqueViolation(err)) continue
      throw err
    }
  }
}

/** The places of one grid in the caller's territory, oldest first. */
export async function listPlacesOfGrid(em: EntityManager, actor: Actor, gridCode: string, limit = 500): Promise<{ grid: Grid; places: Place[] }> {
  const grid = await requireGridInScope(em, actor, gridCode)
  const places = await em.getRepository(Place).find({ where: { gridCode: grid.code }, order: { createdAt: 'ASC', id: 'ASC' }, take: limit })
  return { grid, places }
}

/**
 * Removes a place in the caller's territory (404 otherwise); its printed codes then answer
 * qr_scene_unknown. Audited as `place.delete` with the place's name and grid.
 */
export async function deletePlace(ds: DataSource, actor: Actor, id: string): Promise<void> {
  await withTx(ds, async (em) => {
    const place = await requirePlaceInScope(em, actor, id)
    await em.getRepository(Place).delete({ id })
    await recordAudit(em, { action: 'place.delete', objectType: 'place', objectId: id, detail: { grid: place.gridCode, name: place.name } })
  })
}

/** One place, or 404 when it does not exist or lies outside the caller's territory. */
export async function requirePlaceInScope(em: EntityManager, actor: Actor, id: string): Promise<Place> {
  const place = await em.getRepository(Place).findOneBy({ id })
  if (!place || !gridInScope(actor, { code: place.gridCode, communityCode: place.communityCode, streetCode: place.streetCode })) throw placeNotFound()
  return place
}

/**
 * What a scanned code opens: the place, its point, grid, community and street. Anyone may ask (the
 * report form reads it before the resident types anything); the scene is checked first.
 * @throws qr_scene_forged (400), qr_scene_expired (410), qr_scene_unknown (404: signed by us, but the place is gone)
 */
export async function resolveScene(ds: DataSource, secret: string, scene: string, now: Date): Promise<PlaceSceneView> {
  const { placeCode, expiresAt } = readScene(secret, scene, now)
  const place = await ds.getRepository(Place).findOneBy({ code: placeCode })
  if (!place) throw new NotFoundError('This QR code belongs to no place (it may have been removed).', 'qr_scene_unknown')
  const [grid, community, street] = await Promise.all([
    ds.getRepository(Grid).findOneBy({ code: place.gridCode }),
    ds.getRepository(Community).findOneBy({ code: place.communityCode }),
    ds.getRepository(Street).findOneBy({ code: place.streetCode })
  ])
  return {
    place: { id: place.id, name: place.name, kind: place.kind as PlaceKind, address: place.address },
    point: presentPoint(Number(place.lat), Number(place.lng)),
    grid: { code: place.gridCode, name: grid?.name ?? place.gridCode },
    community: { code: place.communityCode, name: community?.name ?? place.communityCode },
    street: { code: place.streetCode, name: street?.name ?? place.streetCode },
    expiresAt: expiresAt.toISOString()
  }
}

/** The H5 address a place's code opens: the report form with the scene (hash router). */
export function h5ReportUrl(origin: string, scene: string): string {
  return `${origin.replace(/\/$/, '')}/#/${PLACE_REPORT_PATH}?scene=${encodeURIComponent(scene)}`
}

export { PlaceLimits }
