import { describe, expect, it } from 'vitest'
import { maskContactData, maskPersonName, maskPublicText } from './masking'

describe('masking for the public board', () => {
  it.each([
    ['张三', '张*'],
    ['欧阳娜娜', '欧*'],
    ['李', '李*'],
    ['  王芳 ', '王*'],
    ['', '*']
  ])('masks the name %j as %j', (name, masked) => {
    expect(maskPersonName(name)).toBe(masked)
  })

  it.each([
    ['电话13812341234', '电话138****1234'],
    ['电话 138 1234 1234 或 139-0000-1111', '电话 138****1234 或 139****1111'],
    ['+86 13812341234', '+86 138****1234'],
    ['座机0352-1234567', '座机0352-***4567'],
    ['座机 035212345678', '座机 0352-****5678'],
    ['身份证140202199001011234', '身份证1402**********1234'],
    ['身份证14020219900101123X', '身份证1402**********123X'],
    ['邮箱 lixiaoming@example.com', '邮箱 l***@example.com'],
    ['3号楼2单元501室', '*号楼*单元*室'],
    ['12栋3户', '*栋*户']
  ])('masks contact data in %j', (text, masked) => {
    expect(maskContactData(text)).toBe(masked)
  })

  it('leaves dates, counts and ticket numbers alone', () => {
    const text = '2026年11月28日起三天，共5袋垃圾，工单PC20261128-7KQ3MZ'
    expect(maskContactData(text)).toBe(text)
  })

  it("masks the reporter's name wherever it appears and cuts their address to the community", () => {
    const text = '我是李小明，住永和小区3号楼2单元501，电话13812341234。李小明家门口垃圾三天没人清运。'
    const masked = maskPublicText(text, { names: ['李小明'], address: '永和小区3号楼2单元501', communityName: '永和社区' })
    expect(masked).toBe('我是李*，住永和社区，电话138****1234。李*家门口垃圾三天没人清运。')
  })
})
