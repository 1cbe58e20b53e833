import Taro from '@tarojs/taro'
import { getSession } from '../services/session'

/** Every page path, so links never drift from app.config.ts. */
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
  auditLog: '/packages/audit-admin/log/index'
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
