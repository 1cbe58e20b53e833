import Router from '@koa/router'
import { consumeLimit, limitHit } from '../limits/index'
import {
  BookingQuerySchema,
  ConsultationRecordSchema,
  CreateBookingSchema,
  CreateProviderSchema,
  CreateScheduleSchema,
  CreateStationSchema,
  GenerateSlotsSchema,
  RescheduleBookingSchema,
  SlotQuerySchema,
  StationQuerySchema,
  UpdateProviderSchema,
  UpdateStationSchema
} from '@palm/shared'
import { z } from 'zod'
import { auditStaffRead, withAuditedTx } from '../audit/index'
import type { AppDeps } from '../../deps'
import { requireActor, requireRole } from '../../http/auth'
import { parseBody, parseQuery } from '../../http/validate'
import { respondIdempotently } from '../idempotency/index'
import { createProvider, createSchedule, createStation, getStation, listSchedules, listStations, setScheduleActive, updateProvider, updateStation } from './legal-admin.service'
import { cancelBooking, createBooking, rescheduleBooking } from './legal-booking.service'
import { getBooking, listBookings, markNoShow, writeConsultationRecord } from './legal-handling.service'
import { generateStationSlots, listSlots } from './legal-slots.service'
import { BOOKING_ROLES, STATION_STAFF_ROLES } from './legal.policy'
import { presentBooking, presentBookings, presentOneBooking, presentProvider, presentSchedule, presentSlots, presentStationDetail, presentStations } from './legal.presenter'

const ScheduleActiveSchema = z.object({ active: z.boolean() }).strict()

/**
 * The three-level legal consultation platform (api.md "Services"). Stations and slots are public;
 * bookings need a resident; station, provider and schedule writes need station staff in scope.
 */
export function createLegalRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/legal' })
  const { ds } = deps

  router.get('/stations', async function listStationsRoute(ctx) {
    const query = parseQuery(ctx, StationQuerySchema)
    ctx.body = { items: await presentStations(ds.manager, await listStations(ds.manager, query)) }
  })
  router.get('/stations/:id', async function showStationRoute(ctx) {
    ctx.body = await presentStationDetail(ds.manager, await getStation(ds.manager, ctx.params.id ?? ''))
  })
  router.post('/stations', async function createStationRoute(ctx) {
    const actor = requireRole(ctx, STATION_STAFF_ROLES)
    const input = parseBody(ctx, CreateStationSchema)
    ctx.status = 201
    ctx.body = await withAuditedTx(ctx, ds, 'legal', async (em) => presentStationDetail(em, await createStation(em, deps.now(), actor, input)))
  })
  router.patch('/stations/:id', async function editStationRoute(ctx) {
    const actor = requireRole(ctx, STATION_STAFF_ROLES)
    const input = parseBody(ctx, UpdateStationSchema)
    ctx.body = await withAuditedTx(ctx, ds, 'legal', async (em) => presentStationDetail(em, await updateStation(em, deps.now(), actor, ctx.params.id ?? '', input)))
  })
  router.post('/stations/:id/providers', async function addProviderRoute(ctx) {
    const actor = requireRole(ctx, STATION_STAFF_ROLES)
    const input = parseBody(ctx, CreateProviderSchema)
    ctx.status = 201
    ctx.body = await withAuditedTx(ctx, ds, 'legal', async (em) => presentProvider(await createProvider(em, deps.now(), actor, ctx.params.id ?? '', input)))
  })
  router.post('/stations/:id/slots/generate', async function generateStationSlotsRoute(ctx) {
    const actor = requireRole(ctx, STATION_STAFF_ROLES)
    const { days } = parseBody(ctx, GenerateSlotsSchema)
    const described = await withAuditedTx(ctx, ds, 'legal', (em) => generateStationSlots(em, deps.now(), actor, ctx.params.id ?? '', days))
    ctx.body = { days, slots: described }
  })
  router.patch('/providers/:id', async function editProviderRoute(ctx) {
    const actor = requireRole(ctx, STATION_STAFF_ROLES)
    const input = parseBody(ctx, UpdateProviderSchema)
    ctx.body = await withAuditedTx(ctx, ds, 'legal', async (em) => presentProvider(await updateProvider(em, actor, ctx.params.id ?? '', input)))
  })
  router.get('/providers/:id/schedules', async function listSchedulesRoute(ctx) {
    const actor = requireRole(ctx, STATION_STAFF_ROLES)
    ctx.body = { items: (await listSchedules(ds.manager, actor, ctx.params.id ?? '')).map(presentSchedule) }
  })
  router.post('/providers/:id/schedules', async function addScheduleRoute(ctx) {
    const actor = requireRole(ctx, STATION_STAFF_ROLES)
    const input = parseBody(ctx, CreateScheduleSchema)
    ctx.status = 201
    ctx.body = await withAuditedTx(ctx, ds, 'legal', async (em) => presentSchedule(await createSchedule(em, deps.now(), actor, ctx.params.id ?? '', input)))
  })
  router.patch('/schedules/:id', async function editScheduleRoute(ctx) {
    const actor = requireRole(ctx, STATION_STAFF_ROLES)
    const { active } = parseBody(ctx, ScheduleActiveSchema)
    ctx.body = await withAuditedTx(ctx, ds, 'legal', async (em) => presentSchedule(await setScheduleActive(em, actor, ctx.params.id ?? '', active)))
  })

  router.get('/slots', async function listSlotsRoute(ctx) {
    const query = parseQuery(ctx, SlotQuerySchema)
    const now = deps.now()
    ctx.body = { items: presentSlots(await listSlots(ds.manager, now, query), now) }
  })

  router.post('/bookings', async function bookConsultationRoute(ctx) {
    const actor = requireRole(ctx, BOOKING_ROLES)
    const input = parseBody(ctx, CreateBookingSchema)
    await respondIdempotently(ctx, deps, actor, 'POST /api/legal/bookings', async (em) => {
      const body = presentBooking(await createBooking(em, deps, actor, input))
      await consumeLimit(em, limitHit(ds, deps.config, 'booking', actor.id, deps.now())) // only a booking made counts
      return { status: 201, body }
    })
  })
  router.get('/bookings', async function listBookingsRoute(ctx) {
    const actor = requireActor(ctx)
    const query = parseQuery(ctx, BookingQuerySchema)
    const items = await presentBookings(ds.manager, await listBookings(ds.manager, actor, query))
    await auditStaffRead(ctx, ds, 'service.view_personal', 'legal_booking', { rows: items.length })
    ctx.body = { items }
  })
  router.get('/bookings/:id', async function showBookingRoute(ctx) {
    const actor = requireActor(ctx)
    const booking = await getBooking(ds.manager, actor, ctx.params.id ?? '')
    await auditStaffRead(ctx, ds, 'service.view_personal', 'legal_booking')
    ctx.body = await presentOneBooking(ds.manager, booking)
  })
  router.post('/bookings/:id/cancel', async function cancelBookingRoute(ctx) {
    const actor = requireActor(ctx)
    ctx.body = await withAuditedTx(ctx, ds, 'legal', async (em) => presentBooking(await cancelBooking(em, deps, actor, ctx.params.id ?? '')))
  })
  router.post('/bookings/:id/reschedule', async function rescheduleBookingRoute(ctx) {
    const actor = requireActor(ctx)
    const input = parseBody(ctx, RescheduleBookingSchema)
    ctx.body = await withAuditedTx(ctx, ds, 'legal', async (em) => presentBooking(await rescheduleBooking(em, deps, actor, ctx.params.id ?? '', input)))
  })
  router.post('/bookings/:id/no-show', async function markNoShowRoute(ctx) {
    const actor = requireActor(ctx)
    ctx.body = await withAuditedTx(ctx, ds, 'legal', async (em) => presentOneBooking(em, await markNoShow(em, deps, actor, ctx.params.id ?? '')))
  })
  router.post('/bookings/:id/record', async function recordConsultationRoute(ctx) {
    const actor = requireActor(ctx)
    const input = parseBody(ctx, ConsultationRecordSchema)
    ctx.body = await withAuditedTx(ctx, ds, 'legal', async (em) => presentOneBooking(em, await writeConsultationRecord(em, deps, actor, ctx.params.id ?? '', input)))
  })
  return router
}
