import Taro from '@tarojs/taro'
import { ERROR_CODES, type ErrorCode } from '@palm/shared'
import { ApiError, isApiError } from './api-error'

/**
 * Plain Chinese for every error code of the API (shared/src/errors/problem.ts), so pages never show
 * server text. A `Record` over `ErrorCode`: a code added in shared without its text here does not
 * compile. Pages that say more for a code (the sign-in form, the territory import) branch on the
 * code first and fall back to `errorMessage`.
 */
export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  network_error: '网络不给力，请检查网络后重试',
  validation_failed: '填写的内容有误，请检查后再提交',
  unauthenticated: '请先登录',
  invalid_token: '登录已过期，请重新登录',
  invalid_credentials: '用户名或密码不正确',
  account_locked: '账号已暂时锁定，请稍后再试',
  account_disabled: '该账号已停用，请联系管理员',
  totp_required: '请输入身份验证器中的 6 位动态验证码',
  invalid_totp: '动态验证码不正确，请重新输入',
  weak_password: '密码太简单或容易被猜到，请换一个',
  totp_reused: '这个动态验证码刚用过，请等下一个验证码',
  totp_not_enrolled: '该账号尚未设置身份验证器，请联系管理员',
  password_change_required: '请先修改初始密码',
  username_taken: '该用户名已被使用，请换一个',
  wechat_already_bound: '这个微信已绑定了其他账号',
  invalid_code: '微信登录失败，请重试',
  wechat_risky_user: '当前微信账号存在风险，暂不能使用',
  wechat_unavailable: '微信服务繁忙，请稍后再试',
  forbidden: '您没有权限进行此操作',
  not_found: '内容不存在或已被删除',
  ticket_not_found: '工单不存在，或您无权查看',
  out_of_district: '该位置不在平城区范围内，请重新选择',
  unknown_category: '请选择有效的问题类别',
  conflict: '操作冲突，请刷新后重试',
  invalid_transition: '工单状态已变化，请刷新后再操作',
  reason_required: '请填写原因后再提交',
  reply_required: '办结前请先回复群众，或把回复写在说明里',
  rating_required: '请选择 1 到 5 分的满意度',
  already_rated: '您已评价过这次办理结果',
  reopen_window_closed: '办结超过 7 天的工单不能再申请重新办理',
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
  checkout_too_early: '活动开始后才能签退，服务时长按实际在场时间计算',
  capacity_below_signups: '已报名人数多于新的名额，不能这样调整',
  idempotency_key_required: '提交失败，请重试',
  idempotency_key_reused: '内容已变化，请重新提交',
  idempotency_in_flight: '正在提交，请稍候',
  payload_too_large: '文件太大，请换一张较小的照片',
  territory_invalid: '辖区数据有误，请按检查结果修改后再导入',
  territory_file_invalid: '文件不是有效的辖区 GeoJSON',
  unsupported_coordinate_system: '文件的坐标系不受支持，请声明 WGS-84、GCJ-02 或 BD-09',
  unsupported_media_type: '只能上传 JPG、PNG 或 WebP 图片',
  rate_limited: '操作太频繁，请稍后再试',
  routing_failed: '暂时无法分派工单，请稍后再试',
  category_without_receiver: '这样修改后有问题类别将无人接收，请先安排接收部门',
  content_rejected: '内容含有不当信息，请修改后再提交',
  service_unavailable: '服务繁忙，请稍后再试',
  shutting_down: '服务正在重启，请稍后再试',
  malformed_path: '链接地址有误，请从小程序内重新打开',
  consent_required: '请先阅读并同意隐私保护指引',
  policy_version_mismatch: '隐私保护指引已更新，请阅读并同意新版本',
  publication_not_held: '这条内容已不在待审核列表中',
  extension_already_requested: '该工单已申请过延期，每件工单只能申请一次',
  extension_too_late: '办结时限已过，不能再申请延期',
  extension_due_invalid: '新的办结时限须晚于现有时限，且最多延长 30 天',
  extension_not_pending: '没有待审批的延期申请',
  wrong_approval_level: '延期须由工单所在层级的上一级审批',
  press_too_early: '还在办理时限内，超时后才能催办',
  press_limit_reached: '今天已经催办过了，请明天再试',
  callback_required: '该工单需要先回访才能结案',
  already_cohandling: '该部门已在协办此工单',
  staff_filing_only: '只有网格员和社区工作人员可以代报或登记巡查发现',
  unknown_placeholder: '常用语中有无法识别的占位符，请使用列出的占位符',
  qr_scene_unknown: '这个二维码无效，请直接填写上报',
  qr_scene_expired: '这个二维码已过期，请联系社区更换，或直接填写上报',
  qr_scene_forged: '这个二维码无法识别，请直接填写上报',
  csv_invalid: '表格格式不对，请按模板的列填写',
  internal_error: '系统开小差了，请稍后再试'
}

const FALLBACK = '出错了，请稍后再试'
const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES)

/** The text of a code the API may answer with; undefined for a code this build does not know. */
export function messageForCode(code: string): string | undefined {
  return KNOWN_CODES.has(code) ? ERROR_MESSAGES[code as ErrorCode] : undefined
}

/** The message for an error, by code, with a fallback by HTTP status class (a proxy's error page). */
export function errorMessage(err: unknown): string {
  if (!isApiError(err)) return FALLBACK
  const known = messageForCode(err.code)
  if (known) return known
  if (err.status === 403) return ERROR_MESSAGES.forbidden
  if (err.status === 404) return ERROR_MESSAGES.not_found
  if (err.status === 409) return ERROR_MESSAGES.conflict
  if (err.status >= 500) return ERROR_MESSAGES.internal_error
  return FALLBACK
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
