import Taro from '@tarojs/taro'
import { getSession } from '../services/session'

const q = (key: string, value: string) => `${key}=${encodeURIComponent(value)}`

/** Every page path, so links never drift from app.config.ts (every path here is registered there). */
export const Routes = {
  home: '/pages/home/index',
  messages: '/pages/messages/index',
  me: '/pages/me/index',
  report: '/packages/report/new/index',
  ticket: (id: string) => `/packages/ticket/detail/index?id=${encodeURIComponent(id)}`,
  myTickets: '/packages/ticket/mine/index',
  publicBoard: '/packages/public/board/index',
  comingSoon: (service: string) => `/packages/public/coming-soon/index?service=${encodeURIComponent(service)}`,
  staffInbox: '/packages/staff/inbox/index',
  staffTicket: (id: string) => `/packages/staff/detail/index?id=${encodeURIComponent(id)}`,
  staffStats: '/packages/staff/stats/index',
  staffReview: '/packages/staff/review/index',
  staffMap: '/packages/staff/map/index',
  signIn: (redirect?: string) => `/packages/auth/sign-in/index${redirect ? `?redirect=${encodeURIComponent(redirect)}` : ''}`,
  privacy: '/packages/auth/privacy/index',
  changePassword: (redirect?: string) => `/packages/auth/change-password/index${redirect ? `?redirect=${encodeURIComponent(redirect)}` : ''}`,
  staffSignIn: (redirect?: string) => `/packages/auth/sign-in/index?staff=1${redirect ? `&redirect=${encodeURIComponent(redirect)}` : ''}`,
  adminHub: '/packages/admin/hub/index',
  adminAccounts: '/packages/admin/accounts/index',
  adminAccount: (id?: string) => `/packages/admin/account/index${id ? `?id=${encodeURIComponent(id)}` : ''}`,
  adminDuty: '/packages/admin/duty/index',
  adminRoster: (gridCode: string) => `/packages/admin/roster/index?gridCode=${encodeURIComponent(gridCode)}`,
  consoleCategories: '/packages/console/categories/index',
  consoleCategory: (code?: string) => `/packages/console/category/index${code ? `?code=${encodeURIComponent(code)}` : ''}`,
  consoleRule: (id?: string) => `/packages/console/rule/index${id ? `?id=${encodeURIComponent(id)}` : ''}`,
  consoleDepartments: '/packages/console/departments/index',
  consoleRules: '/packages/console/rules/index',
  territoryImport: '/packages/territory-admin/import/index',
  open311Keys: '/packages/open311-admin/keys/index',
  auditLog: '/packages/audit-admin/log/index',

  // resident services (testing points, legal consultations, tip-offs, the alliance) and their staff pages
  points: '/packages/points/list/index',
  point: (id: string) => `/packages/points/detail/index?${q('id', id)}`,
  pointRequest: '/packages/points/request/index',
  pointRequests: '/packages/points/requests/index',

  legalStations: '/packages/legal/stations/index',
  legalStation: (id: string, rescheduleBookingId?: string) => `/packages/legal/station/index?${q('id', id)}${rescheduleBookingId ? `&${q('reschedule', rescheduleBookingId)}` : ''}`,
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
  staffAlerts: '/packages/services-staff/alerts/index',

  // 我的网格, 一码通 and 网格档案 (docs/places-and-grids.md)
  myGrid: '/packages/grid/mine/index',
  gridPlaces: (grid?: string) => `/packages/grid/places/index${grid ? `?${q('grid', grid)}` : ''}`,
  gridContacts: '/packages/grid/contacts/index',
  gridProfile: (grid?: string) => `/packages/grid/profile/index${grid ? `?${q('grid', grid)}` : ''}`
} as const

const TAB_PAGES = [Routes.home, Routes.messages, Routes.me]

/** Opens a page; tab pages need switchTab. */
export function openPage(url: string): void {
  const path = url.split('?')[0] ?? url
  if (TAB_PAGES.includes(path as (typeof TAB_PAGES)[number])) void Taro.switchTab({ url: path })
  else void Taro.navigateTo({ url })
}

/** Replaces the current page (after sign-in, after submitting). */
export function replacePage(url: string): void {
  const path = url.split('?')[0] ?? url
  if (TAB_PAGES.includes(path as (typeof TAB_PAGES)[number])) void Taro.switchTab({ url: path })
  else void Taro.redirectTo({ url })
}

/** Opens `url` when signed in, otherwise the sign-in page that comes back to it. */
export function openSignedIn(url: string): void {
  if (getSession()) openPage(url)
  else openPage(Routes.signIn(url))
}
