import { describe, expect, it } from 'vitest'
import type { RoutingPreviewView, RoutingTargetView } from '@palm/shared'
import { hoursText, minutesFrom, previewHeadline } from './console-format'

const target = (label: string): RoutingTargetView => ({ level: 'department', code: label, name: label, besideDepartment: null, label })
const preview = (over: Partial<RoutingPreviewView>): RoutingPreviewView => ({ category: { code: 'sanitation', name: '环境卫生' }, total: 50, changed: 0, byTarget: [], samples: [], ...over })

describe('limits in working hours', () => {
  it('turns hours into minutes and back', () => {
    expect([minutesFrom('2'), minutesFrom('0.5'), minutesFrom(' 7.5 ')]).toEqual([120, 30, 450])
    expect([hoursText(120), hoursText(30), hoursText(1350)]).toEqual(['2', '0.5', '22.5'])
  })

  it('gives NaN for what is not a number, so the schema names the field', () => {
    expect(minutesFrom('两小时')).toBeNaN()
    expect(minutesFrom('-1')).toBeNaN()
  })
})

describe('previewHeadline', () => {
  it('says how many of the recent tickets would move and where', () => {
    expect(previewHeadline(preview({ changed: 12, byTarget: [{ target: target('住建局'), count: 12 }] }))).toBe('最近50件中有12件将改派至 住建局')
    expect(
      previewHeadline(
        preview({
          changed: 5,
          byTarget: [
            { target: target('网格 066-012'), count: 3 },
            { target: target('网格 066-013'), count: 2 }
          ]
        })
      )
    ).toBe('最近50件中有5件将改派至 网格 066-012 等 2 处')
  })

  it('says when nothing moves, or there is nothing to replay', () => {
    expect(previewHeadline(preview({}))).toBe('最近50件中没有工单会改派')
    expect(previewHeadline(preview({ total: 0 }))).toContain('还没有工单')
  })
})
