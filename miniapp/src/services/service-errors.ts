import Taro from '@tarojs/taro'
import { isApiError } from './api-error'
import { errorMessage, showError } from './show-error'

/**
 * Plain Chinese for the error codes of the resident services (shared/src/errors/problem.ts). Pages
 * branch on the code and show these; anything else falls back to the app-wide messages.
 */
const SERVICE_MESSAGES: Record<string, string> = {
  slot_full: '该时段已约满，请选择其他时段',
  slot_in_past: '该时段已经开始，请选择其他时段',
  slot_too_soon: '预约需提前，该时段已来不及预约，请选择更晚的时段',
  already_booked: '您已预约过该时段，无需重复预约',
  change_cutoff_passed: '已过可取消或改约的时间，如需调整请联系服务站',
  booking_not_active: '该预约已取消或已结束',
  consultation_not_started: '咨询尚未开始，开始后才能记录',
  already_supported: '您已支持过这条申请',
  request_closed: '这条申请已经处理完毕',
  already_registered: '您已提交过志愿者注册',
  volunteer_not_approved: '请先注册成为志愿者，并等待社区审核通过',
  activity_full: '活动名额已满，可以加入候补',
  activity_cancelled: '该活动已取消',
  signup_closed: '报名已截止',
  already_signed_up: '您已报名该活动',
  not_signed_up: '您未报名该活动，或只是候补',
  invalid_checkin_code: '签到码不正确，请向现场工作人员确认',
  checkin_window_closed: '不在签到时间内（活动开始前 30 分钟至结束后 30 分钟）',
  already_checked_in: '您已签到过了',
  not_checked_in: '请先签到，再签退',
  capacity_below_signups: '已报名人数多于新的名额，不能这样调整',
  idempotency_key_required: '提交失败，请重试'
}

/** The message for an error: the service's own words for its codes, else the app's. */
export function serviceErrorMessage(err: unknown): string {
  if (isApiError(err)) {
    const known = SERVICE_MESSAGES[err.code]
    if (known) return known
  }
  return errorMessage(err)
}

/** Like showError, with the services' messages: a dialog for long text, a toast for short. */
export async function showServiceError(err: unknown): Promise<void> {
  if (!(isApiError(err) && SERVICE_MESSAGES[err.code])) {
    await showError(err)
    return
  }
  const message = serviceErrorMessage(err)
  if (message.length > 14) await Taro.showModal({ title: '提示', content: message, showCancel: false, confirmText: '知道了' })
  else await Taro.showToast({ title: message, icon: 'none', duration: 2500 })
}
