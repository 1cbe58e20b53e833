import Router from '@koa/router'
import {
  CommunityOfficeSchema,
  CreateGridEntrySchema,
  CreatePlaceSchema,
  CommunityCodeSchema,
  GridCodeParamSchema,
  GridCountsSchema,
  ImportGridCountsSchema,
  ListPlacesQuerySchema,
  MyGridQuerySchema,
  PlaceLimits,
  PlaceQrQuerySchema,
  PlaceSceneSchema,
  WorkerCardSchema
} from '@palm/shared'
import type { Context } from 'koa'
import { z } from 'zod'
import type { AppDeps } from '../../deps'
import { BadRequestError, NotFoundError } from '../../errors'
import { requireActor, requireRole } from '../../http/auth'
import { parseBody, parseQuery } from '../../http/validate'
import { toStoredPoint } from '../../http/coords'
import { addGridEntry, deleteGridEntry, gridProfile, importGridCounts, setGridCounts } from './grid-profile.service'
import { communityContacts, setCommunityOffice, setWorkerCard } from './grid-contacts.service'
import { myGrid } from './my-grid.service'
import { placeCode, placeSheet } from './place-codes'
import { PROFILE_EDITORS, TERRITORY_STAFF } from './places.scope'
import { createPlace, deletePlace, listPlacesOfGrid, presentPlaces, requirePlaceInScope, resolveScene } from './places.service'

const IdSchema = z.uuid()

function idParam(ctx: Context, name = 'id'): string {
  const parsed = IdSchema.safeParse(ctx.params[name])
  if (!parsed.success) throw new NotFoundError()
  return parsed.data
}

function gridParam(ctx: Context): string {
  const parsed = GridCodeParamSchema.safeParse(ctx.params.code)
  if (!parsed.success) throw new NotFoundError('No such grid in your area.')
  return parsed.data
}

function communityCodeParam(ctx: Context): string {
  const parsed = CommunityCodeSchema.safeParse(ctx.params.code)
  if (!parsed.success) throw new NotFoundError('No such community in your area.')
  return parsed.data
}

/** Where an H5 code points: this server as the caller reached it (behind TRUST_PROXY, the proxy's host). */
function originOf(ctx: Context): string {
  return `${ctx.protocol}://${ctx.host}`
}

/**
 * Places and their QR codes (一码通), the grid profile (网格档案) and 我的网格
 * (docs/places-and-grids.md). Staff see and change only grids of their territory (404 otherwise).
 */
export function createPlacesRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api' })
  const em = deps.ds.manager

  router.post('/places', async function createPlaceRoute(ctx) {
    const actor = requireRole(ctx, TERRITORY_STAFF)
    const input = parseBody(ctx, CreatePlaceSchema)
    ctx.status = 201
    ctx.body = await createPlace(deps, actor, input)
  })

  router.get('/places', async function listPlacesRoute(ctx) {
    const actor = requireRole(ctx, TERRITORY_STAFF)
    const { grid } = parseQuery(ctx, ListPlacesQuerySchema)
    const { places } = await listPlacesOfGrid(em, actor, grid)
    ctx.body = { items: await presentPlaces(em, places) }
  })

  // Anyone may resolve a scene (the report form asks before sign-in); the scene's signature is the guard.
  router.get('/places/scene/:scene', async function resolveSceneRoute(ctx) {
    const scene = PlaceSceneSchema.safeParse(ctx.params.scene)
    if (!scene.success) throw new BadRequestError('qr_scene_forged', 'This QR code was not made by Palm Pingcheng.')
    ctx.set('Cache-Control', 'no-store')
    ctx.body = await resolveScene(deps.ds, deps.config.jwt.secret, scene.data, deps.now())
  })

  router.get('/places/:id', async function getPlaceRoute(ctx) {
    const actor = requireRole(ctx, TERRITORY_STAFF)
    const place = await requirePlaceInScope(em, actor, idParam(ctx))
    ctx.body = (await presentPlaces(em, [place]))[0]
  })

  router.delete('/places/:id', async function deletePlaceRoute(ctx) {
    const actor = requireRole(ctx, TERRITORY_STAFF)
    await deletePlace(deps.ds, actor, idParam(ctx))
    ctx.status = 204
  })

  /** One code as JSON with a data: URL (the mini-program shows it), or `.png` for the image itself. */
  router.get(['/places/:id/code', '/places/:id/code.png'], async function placeCodeRoute(ctx) {
    const actor = requireRole(ctx, TERRITORY_STAFF)
    const place = await requirePlaceInScope(em, actor, idParam(ctx))
    const { platform } = parseQuery(ctx, PlaceQrQuerySchema)
    const code = await placeCode(deps, place, platform, originOf(ctx))
    ctx.set('Cache-Control', 'no-store')
    if (ctx.path.endsWith('.png')) {
      ctx.type = 'image/png'
      ctx.body = code.png
      return
    }
    ctx.body = { scene: code.scene, url: code.url, expiresAt: code.expiresAt.toISOString(), image: `data:image/png;base64,${code.png.toString('base64')}` }
  })

  /** The printable sheet of a grid's places: PNG, or JSON with a data: URL. */
  router.get(['/grids/:code/places/sheet', '/grids/:code/places/sheet.png'], async function placeSheetRoute(ctx) {
    const actor = requireRole(ctx, TERRITORY_STAFF)
    const { platform } = parseQuery(ctx, PlaceQrQuerySchema)
    const { grid, places } = await listPlacesOfGrid(em, actor, gridParam(ctx), PlaceLimits.sheetMax)
    const png = await placeSheet(deps, grid, places, platform, originOf(ctx))
    ctx.set('Cache-Control', 'no-store')
    if (ctx.path.endsWith('.png')) {
      ctx.type = 'image/png'
      ctx.set('Content-Disposition', `inline; filename="places-${grid.code}.png"`)
      ctx.body = png
      return
    }
    ctx.body = { count: places.length, image: `data:image/png;base64,${png.toString('base64')}` }
  })

  router.get('/grids/:code/profile', async function gridProfileRoute(ctx) {
    const actor = requireRole(ctx, TERRITORY_STAFF)
    ctx.body = await gridProfile(em, actor, gridParam(ctx), deps.now())
  })

  router.put('/grids/:code/profile/counts', async function setCountsRoute(ctx) {
    const actor = requireRole(ctx, PROFILE_EDITORS)
    const code = gridParam(ctx)
    ctx.body = await setGridCounts(deps, actor, code, parseBody(ctx, GridCountsSchema))
  })

  router.post('/grid-profiles/counts/import', async function importCountsRoute(ctx) {
    const actor = requireRole(ctx, PROFILE_EDITORS)
    const { csv } = parseBody(ctx, ImportGridCountsSchema)
    ctx.body = await importGridCounts(deps, actor, csv)
  })

  router.post('/grids/:code/profile/entries', async function addEntryRoute(ctx) {
    const actor = requireRole(ctx, TERRITORY_STAFF)
    const code = gridParam(ctx)
    const input = parseBody(ctx, CreateGridEntrySchema)
    ctx.status = 201
    ctx.body = await addGridEntry(deps, actor, code, input)
  })

  router.delete('/grids/:code/profile/entries/:id', async function deleteEntryRoute(ctx) {
    const actor = requireRole(ctx, TERRITORY_STAFF)
    await deleteGridEntry(deps, actor, gridParam(ctx), idParam(ctx))
    ctx.status = 204
  })

  router.get('/my-grid', async function myGridRoute(ctx) {
    const actor = requireActor(ctx)
    const query = parseQuery(ctx, MyGridQuerySchema)
    const point = query.lat !== undefined && query.lng !== undefined ? toStoredPoint({ lat: query.lat, lng: query.lng, coordSystem: query.coordSystem }) : null
    ctx.body = await myGrid(deps.ds, actor, point)
  })

  router.get('/communities/:code/contacts', async function communityContactsRoute(ctx) {
    const actor = requireRole(ctx, PROFILE_EDITORS)
    ctx.body = await communityContacts(deps, actor, communityCodeParam(ctx))
  })

  router.put('/communities/:code/office', async function setOfficeRoute(ctx) {
    const actor = requireRole(ctx, PROFILE_EDITORS)
    ctx.body = await setCommunityOffice(deps, actor, communityCodeParam(ctx), parseBody(ctx, CommunityOfficeSchema))
  })

  router.put('/grid-workers/:id/card', async function setWorkerCardRoute(ctx) {
    const actor = requireRole(ctx, PROFILE_EDITORS)
    ctx.body = await setWorkerCard(deps, actor, idParam(ctx), parseBody(ctx, WorkerCardSchema))
  })

  return router
}
