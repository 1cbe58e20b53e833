import type {
  BookingStatus,
  CoordSystem,
  BookingView,
  ConsultationRecordInput,
  CreateBookingInput,
  CreateProviderInput,
  CreateScheduleInput,
  CreateStationInput,
  ProviderView,
  ScheduleView,
  SlotView,
  StationLevel,
  StationView,
  UpdateProviderInput,
  UpdateStationInput
} from '@palm/shared'
import { apiRequest } from './api-client'

const enc = encodeURIComponent

/** The three-level legal consultation platform (api.md "Services"). */
export const legalService = {
  /** With `near`, nearest first with each station's distance (docs/maps.md). */
  stations: (level?: StationLevel, near?: { lat: number; lng: number; coordSystem: CoordSystem }) =>
    apiRequest<{ items: StationView[] }>({ path: '/api/legal/stations', query: { level, ...(near ?? {}) }, auth: false }).then((r) => r.items),
  station: (id: string) => apiRequest<StationView>({ path: `/api/legal/stations/${enc(id)}` }),
  /** Slots of a station, the next 14 days unless a window is given. */
  slots: (stationId: string, window: { from?: string; to?: string } = {}) => apiRequest<{ items: SlotView[] }>({ path: '/api/legal/slots', query: { stationId, ...window } }).then((r) => r.items),

  /** One Idempotency-Key per booking attempt, kept by the caller for retries. */
  book: (input: CreateBookingInput, idempotencyKey: string) => apiRequest<BookingView>({ method: 'POST', path: '/api/legal/bookings', body: input, idempotencyKey }),
  myBookings: () => apiRequest<{ items: BookingView[] }>({ path: '/api/legal/bookings', query: { view: 'mine' } }).then((r) => r.items),
  booking: (id: string) => apiRequest<BookingView>({ path: `/api/legal/bookings/${enc(id)}` }),
  cancel: (id: string) => apiRequest<BookingView>({ method: 'POST', path: `/api/legal/bookings/${enc(id)}/cancel` }),
  reschedule: (id: string, slotId: string) => apiRequest<BookingView>({ method: 'POST', path: `/api/legal/bookings/${enc(id)}/reschedule`, body: { slotId } }),

  // station staff
  stationBookings: (stationId: string, status?: BookingStatus) =>
    apiRequest<{ items: BookingView[] }>({ path: '/api/legal/bookings', query: { view: 'station', stationId, status } }).then((r) => r.items),
  markNoShow: (id: string) => apiRequest<BookingView>({ method: 'POST', path: `/api/legal/bookings/${enc(id)}/no-show` }),
  writeRecord: (id: string, input: ConsultationRecordInput) => apiRequest<BookingView>({ method: 'POST', path: `/api/legal/bookings/${enc(id)}/record`, body: input }),
  createStation: (input: CreateStationInput) => apiRequest<StationView>({ method: 'POST', path: '/api/legal/stations', body: input }),
  updateStation: (id: string, input: UpdateStationInput) => apiRequest<StationView>({ method: 'PATCH', path: `/api/legal/stations/${enc(id)}`, body: input }),
  createProvider: (stationId: string, input: CreateProviderInput) => apiRequest<ProviderView>({ method: 'POST', path: `/api/legal/stations/${enc(stationId)}/providers`, body: input }),
  updateProvider: (id: string, input: UpdateProviderInput) => apiRequest<ProviderView>({ method: 'PATCH', path: `/api/legal/providers/${enc(id)}`, body: input }),
  schedules: (providerId: string) => apiRequest<{ items: ScheduleView[] }>({ path: `/api/legal/providers/${enc(providerId)}/schedules` }).then((r) => r.items),
  createSchedule: (providerId: string, input: CreateScheduleInput) => apiRequest<ScheduleView>({ method: 'POST', path: `/api/legal/providers/${enc(providerId)}/schedules`, body: input }),
  setScheduleActive: (id: string, active: boolean) => apiRequest<ScheduleView>({ method: 'PATCH', path: `/api/legal/schedules/${enc(id)}`, body: { active } }),
  generateSlots: (stationId: string, days: number) => apiRequest<{ days: number; slots: number }>({ method: 'POST', path: `/api/legal/stations/${enc(stationId)}/slots/generate`, body: { days } })
}
