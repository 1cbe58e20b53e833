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
  signIn: (redirect?: string) => `/packages/auth/sign-in/index${redirect ? `?redirect=${encodeURIComponent(redirect)}` : ''}`,
  privacy: '/packages/auth/privacy/index'
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
