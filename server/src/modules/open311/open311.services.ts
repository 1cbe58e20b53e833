import { DEFAULT_CATEGORIES, FraudTipDetailsSchema, HazardTipDetailsSchema, type Open311Attribute, type Open311Service, type TicketKind } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { z } from 'zod'
import { TicketCategory } from '../sla/category.entity'

/** The kinds Open311 offers: reports (随手拍) and the two tip-offs. Consultations and testing points need bookings and places, not a form. */
export const OPEN311_KINDS = ['report', 'fraud_tip', 'hazard_tip'] as const satisfies readonly TicketKind[]
type Open311Kind = (typeof OPEN311_KINDS)[number]

const GROUPS: Record<Open311Kind, string> = { report: '随手拍', fraud_tip: '诈骗线索', hazard_tip: '隐患举报' }
const KIND_DESCRIPTIONS: Record<Open311Kind, string> = {
  report: '向平城区网格员反映身边的问题，办理结果脱敏后公开。',
  fraud_tip: '向反诈中心提供诈骗线索；线索不公开，也不出现在请求列表中。',
  hazard_tip: '举报自建房、消防、燃气等安全隐患；举报不公开，也不出现在请求列表中。'
}
const KEYWORDS: Record<string, string> = {
  sanitation: '垃圾,卫生,清扫,sanitation,litter',
  public_facilities: '路灯,井盖,设施,streetlight,pothole',
  neighbour_dispute: '邻里,噪音,纠纷,noise,dispute',
  safety_hazard: '隐患,安全,safety',
  epidemic_prevention: '防疫,疫情,epidemic',
  other: '其他,other',
  telecom_fraud: '电话,短信,诈骗,fraud,phone',
  online_fraud: '网络,网址,诈骗,fraud,url',
  investment_fraud: '投资,理财,诈骗,fraud',
  pension_fraud: '养老,诈骗,fraud',
  other_fraud: '诈骗,fraud',
  self_built_house: '自建房,危房,building',
  fire: '消防,火灾,fire',
  gas: '燃气,煤气,gas',
  other_hazard: '隐患,hazard'
}

/** What each attribute means, in the words of the mini-program's forms. */
const ATTRIBUTE_TEXT: Record<string, string> = {
  phone: '诈骗电话号码（手机、座机或 400/800/95 号码）',
  url: '诈骗网址（http:// 或 https://）',
  paymentAccount: '收款账户（银行卡、支付宝或微信账号）',
  appName: '诈骗 App 名称',
  amountLost: '损失金额（元）',
  whatHappened: '经过',
  hazardKind: '隐患类型',
  place: '隐患地点',
  building: '楼栋'
}
const HAZARD_KIND_NAMES: Record<string, string> = { self_built_house: '自建房', fire: '消防', gas: '燃气', other: '其他' }

/** The shared details schema of a kind: the attributes are read from it, so the form, the API and Open311 never drift. */
const DETAILS_SCHEMAS: Partial<Record<Open311Kind, z.ZodObject>> = { fraud_tip: FraudTipDetailsSchema, hazard_tip: HazardTipDetailsSchema }

export interface Open311Catalogue {
  services: Open311Service[]
  /** service_code → the kind and the category name. */
  byCode: Map<string, { kind: Open311Kind; name: string }>
}

/**
 * The service list: one service per active category of the Open311 kinds (the district admin may
 * switch a category off; it then leaves the list and POSTs to it are 404).
 */
export async function loadCatalogue(em: EntityManager): Promise<Open311Catalogue> {
  const rows = await em.getRepository(TicketCategory).find({ select: { code: true, active: true } })
  const inactive = new Set(rows.filter((r) => !r.active).map((r) => r.code))
  const services: Open311Service[] = []
  const byCode = new Map<string, { kind: Open311Kind; name: string }>()
  for (const c of DEFAULT_CATEGORIES) {
    const kind = OPEN311_KINDS.find((k) => k === c.kind)
    if (!kind || inactive.has(c.code)) continue
    byCode.set(c.code, { kind, name: c.name })
    services.push({
      service_code: c.code,
      service_name: c.name,
      description: KIND_DESCRIPTIONS[kind],
      metadata: DETAILS_SCHEMAS[kind] !== undefined,
      type: 'realtime',
      keywords: KEYWORDS[c.code] ?? '',
      group: GROUPS[kind]
    })
  }
  return { services, byCode }
}

type AttributeShape = { datatype: Open311Attribute['datatype']; values?: Open311Attribute['values'] }

/** The Open311 datatype of one field of a shared zod object (string, number or a list of values). */
function shapeOf(field: z.ZodType): AttributeShape {
  const inner = field instanceof z.ZodOptional ? (field.unwrap() as z.ZodType) : field
  if (inner instanceof z.ZodEnum) {
    return { datatype: 'singlevaluelist', values: inner.options.map((key) => ({ key: String(key), name: HAZARD_KIND_NAMES[String(key)] ?? String(key) })) }
  }
  if (inner instanceof z.ZodNumber) return { datatype: 'number' }
  return { datatype: 'string' }
}

/** The attributes of a kind, from its shared details schema (none for reports). */
export function attributesOf(kind: Open311Kind): Open311Attribute[] {
  const schema = DETAILS_SCHEMAS[kind]
  if (!schema) return []
  return Object.entries(schema.shape).map(([code, field], index) => {
    const shape = shapeOf(field as z.ZodType)
    return {
      variable: true,
      code,
      datatype: shape.datatype,
      required: !(field instanceof z.ZodOptional),
      datatype_description: shape.datatype === 'number' ? '数字' : '',
      order: index + 1,
      description: ATTRIBUTE_TEXT[code] ?? code,
      ...(shape.values ? { values: shape.values } : {})
    }
  })
}
