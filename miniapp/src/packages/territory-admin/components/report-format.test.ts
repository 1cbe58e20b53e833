import { describe, expect, it } from 'vitest'
import { TERRITORY_ISSUE_CODES, type TerritoryImportReport } from '@palm/shared'
import { formatArea, ISSUE_LABELS, issueSubject, reportVerdict, usesLine } from './report-format'

const base: TerritoryImportReport = {
  valid: true,
  dryRun: true,
  written: false,
  coordinateSystem: { declared: ['WGS-84'], stored: 'WGS-84', converted: false },
  counts: { streets: 1, communities: 2, grids: 4, created: 7, updated: 0, unchanged: 0, removed: 0 },
  errors: [],
  warnings: [],
  version: 1,
  tookMs: 12
}

describe('territory report wording', () => {
  it('has a plain-Chinese label for every issue code the server can send', () => {
    for (const code of TERRITORY_ISSUE_CODES) expect(ISSUE_LABELS[code]).toBeTruthy()
  })

  it('names both grids of an overlap', () => {
    expect(issueSubject({ code: 'overlap', level: 'grid', featureCode: '066-901', otherCode: '066-902', message: '' })).toBe('网格 066-901 与 066-902')
  })

  it('reads areas in square metres, and large ones in square kilometres', () => {
    expect(formatArea(12.5)).toBe('12.5 平方米')
    expect(formatArea(3400.2)).toBe('3,400 平方米')
    expect(formatArea(2_500_000)).toBe('2.50 平方公里')
  })

  it('tells a blocked file, an importable one, an identical one and a written one apart', () => {
    expect(reportVerdict({ ...base, valid: false, errors: [{ code: 'gap', message: '' }] })).toMatch(/未通过：1 个错误/)
    expect(reportVerdict(base)).toBe('检查通过：可以导入')
    expect(reportVerdict({ ...base, counts: { ...base.counts, created: 0, unchanged: 7 } })).toMatch(/无需导入/)
    expect(reportVerdict({ ...base, dryRun: false, written: true, version: 3 })).toMatch(/已导入，辖区版本 3/)
  })

  it('says in plain words what keeps a grid from being removed', () => {
    expect(usesLine({ code: 'removed_in_use', message: '', ticketNumbers: ['20261202-0001'], staffAccounts: ['gw-066-901-1'], otherRecords: ['hazard_entries'] })).toBe(
      '仍在使用：未办结工单 20261202-0001；工作人员账号 gw-066-901-1；隐患台账'
    )
    expect(usesLine({ code: 'overlap', message: '' })).toBeUndefined()
  })
})
