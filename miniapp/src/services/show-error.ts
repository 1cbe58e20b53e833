import Taro from '@tarojs/taro'
import { ApiError, isApiError } from './api-error'

/** Plain-Chinese text for each error code a resident or worker can meet. Pages never show server text for these. */
const MESSAGES: Record<string, string> = {
  network_error: '网络不给力，请检查网络后重试',
  validation_failed: '填写的内容有误，请检查后再提交',
  unauthenticated: '请先登录',
  invalid_token: '登录已过期，请重新登录',
  invalid_code: '微信登录失败，请重试',
  password_change_required: '请先修改初始密码',
  account_disabled: '该账号已停用，请联系管理员',
  account_locked: '账号已暂时锁定，请稍后再试',
  username_taken: '该用户名已被使用，请换一个',
  wechat_already_bound: '这个微信已绑定了其他账号',
  forbidden: '您没有权限进行此操作',
  not_found: '内容不存在或已被删除',
  ticket_not_found: '工单不存在，或您无权查看',
  out_of_district: '该位置不在平城区范围内，请重新选择',
  unknown_category: '请选择有效的问题类别',
  conflict: '操作冲突，请刷新后重试',
  invalid_transition: '工单状态已变化，请刷新后再操作',
  idempotency_in_flight: '正在提交，请稍候',
  idempotency_key_reused: '内容已变化，请重新提交',
  payload_too_large: '文件太大，请换一张较小的照片',
  unsupported_media_type: '只能上传 JPG、PNG 或 WebP 图片',
  rate_limited: '操作太频繁，请稍后再试',
  routing_failed: '暂时无法分派工单，请稍后再试',
  content_rejected: '内容含有不当信息，请修改后再提交',
  wechat_unavailable: '微信服务繁忙，请稍后再试',
  wechat_risky_user: '当前微信账号存在风险，暂不能使用',
  service_unavailable: '服务繁忙，请稍后再试',
  internal_error: '系统开小差了，请稍后再试'
}

/** The message for an error, by code, with a fallback by HTTP status class. */
export function errorMessage(err: unknown): string {
  if (!isApiError(err)) return '出错了，请稍后再试'
  const known = MESSAGES[err.code]
  if (known) return known
  if (err.status === 403) return MESSAGES.forbidden ?? ''
  if (err.status === 404) return MESSAGES.not_found ?? ''
  if (err.status === 409) return MESSAGES.conflict ?? ''
  if (err.status >= 500) return MESSAGES.internal_error ?? ''
  return '出错了，请稍后再试'
}

/**
 * The one way pages report a failure. Network failures get a dialog with 重试 and resolve to true
 * when the user chose to retry; every other error is a toast (a dialog when the text is long).
 */
export async function showError(err: unknown, options: { retry?: boolean } = {}): Promise<boolean> {
  const message = errorMessage(err)
  if (err instanceof ApiError && err.isNetworkError && options.retry) {
    const res = await Taro.showModal({ title: '提交未完成', content: `${message}。已填写的内容已保存。`, confirmText: '重试', cancelText: '稍后' })
    return res.confirm
  }
  if (message.length > 14) {
    await Taro.showModal({ title: '提示', content: message, showCancel: false, confirmText: '知道了' })
  } else {
    await Taro.showToast({ title: message, icon: 'none', duration: 2500 })
  }
  return false
}
