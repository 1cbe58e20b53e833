import { describe, expect, it } from 'vitest'
import { assessPublicText, isValidIdNumber, maskContactData, maskCuedNames, maskPublicText } from './masking'

const NO_CONTEXT = { names: [] as string[] }

describe('masking of what residents type (issue 9, masking that holds)', () => {
  it.each([
    ['我叫王小明，家门口路灯坏了', '我叫王*，家门口路灯坏了'],
    ['姓名：张三 反映楼道堆物', '姓名：张* 反映楼道堆物'],
    ['联系人李四，下午在家', '联系人李*，下午在家'],
    ['我是欧阳娜娜，住在附近', '我是欧阳*，住在附近'],
    ['请联系王建国先生处理', '请联系王*先生处理'],
    ['楼下的刘桂兰阿姨腿脚不便', '楼下的刘*阿姨腿脚不便'],
    ['谢谢李建国老师', '谢谢李*老师']
  ])('masks the name in %j', (text, masked) => {
    expect(maskCuedNames(text).text).toBe(masked)
  })

  it.each([
    ['我是居民，反映一下', '我是居民，反映一下'],
    ['王先生说明天来修', '王先生说明天来修'],
    ['物业师傅来过了', '物业师傅来过了']
  ])('leaves %j as it is (no name, or a bare surname)', (text, same) => {
    expect(maskCuedNames(text).text).toBe(same)
  })

  it.each([
    ['车牌晋B·12345的车堵了消防通道', '车牌晋B·*****的车堵了消防通道'],
    ['晋BD12345 新能源车占了车位', '晋B·***** 新能源车占了车位'],
    ['京A-F1234长期停放', '京A·*****长期停放'],
    ['住平城路12号院', '住平城路*号院'],
    ['5栋3号门口', '*栋*号门口'],
    ['3-2-501有漏水', '*-*-*有漏水'],
    ['2单元501漏水', '*单元*漏水'],
    ['三号楼二单元', '*号楼*单元'],
    ['老身份证140202900101123', '老身份证1402*******1123']
  ])('masks plates and door numbers in %j', (text, masked) => {
    expect(maskContactData(text)).toBe(masked)
  })

  it('checks the ID number check character', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true)
    expect(isValidIdNumber('110105194912310021')).toBe(false)
  })

  it('masks a real-looking report with a name, a phone, an ID, a plate and an address, none of them left', () => {
    const text = '我叫王小明，身份证11010519491231002X，电话13912345678，住御东小区5号楼2单元301室，楼下晋B·A1234的车天天堵门。'
    const masked = maskPublicText(text, NO_CONTEXT)
    expect(masked).not.toMatch(/王小明|11010519491231002X|13912345678|301|A1234/)
    expect(masked).toContain('我叫王*')
  })

  it('is sure of a plain complaint and unsure of leftover digits, a name it could not place or a PII word', () => {
    expect(assessPublicText('门口垃圾三天没人清运，气味很大。', NO_CONTEXT).doubts).toEqual([])
    expect(assessPublicText('请回电 6021 234 5或 1234567', NO_CONTEXT).doubts).toContain('digits')
    expect(assessPublicText('隔壁小芳女士天天半夜唱歌', NO_CONTEXT).doubts).toContain('name')
    expect(assessPublicText('他的车牌是晋 B 一二三四五', NO_CONTEXT).doubts).toContain('pii_word')
  })
})
