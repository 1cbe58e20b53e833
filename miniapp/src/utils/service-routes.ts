/**
 * Page paths of the resident services (testing points, legal consultations, tip-offs, the alliance)
 * and their staff pages, kept apart from routes.ts so each set of subpackages owns its links.
 * Every path here is registered in app.config.ts.
 */
const q = (key: string, value: string) => `${key}=${encodeURIComponent(value)}`

export const ServiceRoutes = {
  points: '/packages/points/list/index',
  point: (id: string) => `/packages/points/detail/index?${q('id', id)}`,
  pointRequest: '/packages/points/request/index',
  pointRequests: '/packages/points/requests/index',

  legalStations: '/packages/legal/stations/index',
  legalStation: (id: string, rescheduleBookingId?: string) =>
    `/packages/legal/station/index?${q('id', id)}${rescheduleBookingId ? `&${q('reschedule', rescheduleBookingId)}` : ''}`,
  myBookings: '/packages/legal/bookings/index',
  booking: (id: string) => `/packages/legal/booking/index?${q('id', id)}`,

  fraudTip: '/packages/tips/fraud/index',
  hazardTip: '/packages/tips/hazard/index',

  alliance: '/packages/alliance/hub/index',
  allianceRegister: '/packages/alliance/register/index',
  activities: (mine = false) => `/packages/alliance/activities/index${mine ? '?mine=1' : ''}`,
  activity: (id: string) => `/packages/alliance/activity/index?${q('id', id)}`,
  serviceRecord: '/packages/alliance/record/index',
  leaderboard: '/packages/alliance/leaderboard/index',
  alerts: '/packages/alliance/alerts/index',
  /** The home tile 通知公告: the same alerts feed, under that title. */
  notices: `/packages/alliance/alerts/index?${q('view', 'notices')}`,

  staffServices: '/packages/services-staff/hub/index',
  staffPoints: '/packages/services-staff/points/index',
  staffPointEdit: (params: { id?: string; requestId?: string } = {}) =>
    `/packages/services-staff/point-edit/index${params.id ? `?${q('id', params.id)}` : params.requestId ? `?${q('requestId', params.requestId)}` : ''}`,
  staffStations: '/packages/services-staff/stations/index',
  staffStation: (id: string) => `/packages/services-staff/station/index?${q('id', id)}`,
  staffStationEdit: (id?: string) => `/packages/services-staff/station-edit/index${id ? `?${q('id', id)}` : ''}`,
  staffBooking: (id: string) => `/packages/services-staff/booking/index?${q('id', id)}`,
  staffHazards: '/packages/services-staff/hazards/index',
  staffHazard: (id: string) => `/packages/services-staff/hazard/index?${q('id', id)}`,
  staffHazardNew: (ticketId?: string) => `/packages/services-staff/hazard-new/index${ticketId ? `?${q('ticketId', ticketId)}` : ''}`,
  staffActivities: '/packages/services-staff/activities/index',
  staffActivityEdit: (id?: string) => `/packages/services-staff/activity-edit/index${id ? `?${q('id', id)}` : ''}`,
  staffVolunteers: '/packages/services-staff/volunteers/index',
  staffAlerts: '/packages/services-staff/alerts/index'
} as const
