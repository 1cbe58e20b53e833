import { describe, expect, it } from 'vitest'
import { FraudTipDetailsSchema, HazardTipDetailsSchema, TICKET_DETAILS_SCHEMAS, isMainlandPhoneNumber } from './tipoffs.schema'

describe('mainland phone numbers', () => {
  it.each(['13812345678', '+8613812345678', '138 1234 5678', '0352-1234567', '010-12345678', '4008123123', '95588'])('accepts %s', (phone) => {
    expect(isMainlandPhoneNumber(phone)).toBe(true)
  })
  it.each(['12345678901', '1381234567', '138123456789', 'abc', '+1 415 555 0100', '352-1234567', ''])('refuses %s', (phone) => {
    expect(isMainlandPhoneNumber(phone)).toBe(false)
  })
})

describe('fraud tip details', () => {
  it('accepts the leads of a typical tip', () => {
    const parsed = FraudTipDetailsSchema.parse({
      phone: '0352-7654321',
      url: 'https://pay-refund.example.cn/login',
      paymentAccount: '6222 0000 1111 2222',
      appName: '某某理财',
      amountLost: 3000,
      whatHappened: '自称客服说要退款，让我下载 App 转账'
    })
    expect(parsed.amountLost).toBe(3000)
  })

  it('refuses an invalid phone number with the path phone', () => {
    const result = FraudTipDetailsSchema.safeParse({ phone: '12345' })
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.path).toEqual(['phone'])
  })

  it.each(['javascript:alert(1)', 'ftp://files.example.cn', 'not a url', 'data:text/html,hi'])('refuses the URL %s with the path url', (url) => {
    const result = FraudTipDetailsSchema.safeParse({ url })
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.path).toEqual(['url'])
  })

  it('refuses a negative amount lost and unknown fields', () => {
    expect(FraudTipDetailsSchema.safeParse({ amountLost: -1 }).error?.issues[0]?.path).toEqual(['amountLost'])
    expect(FraudTipDetailsSchema.safeParse({ reporterName: '张三' }).success).toBe(false)
  })
})

describe('hazard tip details', () => {
  it('accepts the four kinds and refuses others', () => {
    for (const hazardKind of ['self_built_house', 'fire', 'gas', 'other']) expect(HazardTipDetailsSchema.safeParse({ hazardKind, place: '3号院' }).success).toBe(true)
    expect(HazardTipDetailsSchema.safeParse({ hazardKind: 'flood' }).error?.issues[0]?.path).toEqual(['hazardKind'])
  })
})

describe('TICKET_DETAILS_SCHEMAS', () => {
  it('has a schema for every service kind and none for plain reports', () => {
    expect(Object.keys(TICKET_DETAILS_SCHEMAS).sort()).toEqual(['fraud_tip', 'hazard_tip', 'legal_consultation', 'testing_point_request'])
    expect(TICKET_DETAILS_SCHEMAS.report).toBeUndefined()
  })
})
