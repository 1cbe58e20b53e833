import { SEED_PLACES, type OpeningHours } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { insertMissingRows, stableId, type SeedCommunity } from '../demo/index'
import { TestingPoint } from './testing-point.entity'

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7]
const DAYTIME: OpeningHours = {
  weekly: EVERY_DAY.flatMap((day) => [
    { day, open: '08:00', close: '12:00' },
    { day, open: '14:30', close: '18:00' }
  ])
}
const EVENINGS: OpeningHours = { weekly: EVERY_DAY.map((day) => ({ day, open: '17:00', close: '21:00' })), note: '应居民申请增设，每晚开放' }
const WEEKDAY_MORNINGS: OpeningHours = { weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open: '07:30', close: '11:30' })) }

/**
 * Demo testing points (synthetic, marked so): the one residents asked for in 绿地世纪城 (open in the
 * evenings, as in the seed's story), one at 永和社区's service centre, one at 御龙庭三期, and one
 * in the first community of each other street.
 */
export async function seedTestingPoints(em: EntityManager, now: Date, communities: SeedCommunity[]): Promise<number> {
  const row = (key: string, p: { name: string; address: string; lat: number; lng: number; communityCode: string; streetCode: string; hours: OpeningHours; queue?: string }) =>
    Object.assign(new TestingPoint(), {
      id: stableId(`testing-point:${key}`),
      name: p.name,
      address: p.address,
      lat: p.lat,
      lng: p.lng,
      communityCode: p.communityCode,
      streetCode: p.streetCode,
      openingHours: JSON.stringify(p.hours),
      status: 'open',
      queueLevel: p.queue ?? 'none',
      requestTicketId: null,
      createdBy: null,
      synthetic: true,
      createdAt: now,
      updatedAt: now
    })
  const lvdi = SEED_PLACES.lvdiShijicheng
  const yonghe = SEED_PLACES.yongheCommunity
  const yulong = SEED_PLACES.yulongting3
  const rows = [
    row('lvdi', {
      name: '绿地世纪城临时检测点（示例）',
      address: '绿地世纪城小区东门广场',
      lat: lvdi.point.lat + 0.0003,
      lng: lvdi.point.lng,
      communityCode: lvdi.communityCode,
      streetCode: lvdi.streetCode,
      hours: EVENINGS
    }),
    row('yonghe', {
      name: '永和社区卫生服务站检测点（示例）',
      address: '永和社区卫生服务站',
      lat: yonghe.point.lat,
      lng: yonghe.point.lng,
      communityCode: yonghe.communityCode,
      streetCode: yonghe.streetCode,
      hours: DAYTIME,
      queue: 'short'
    }),
    row('yulongting', {
      name: '御龙庭三期检测点（示例）',
      address: '御龙庭三期南门',
      lat: yulong.point.lat,
      lng: yulong.point.lng,
      communityCode: yulong.communityCode,
      streetCode: yulong.streetCode,
      hours: WEEKDAY_MORNINGS
    })
  ]
  for (const c of communities) {
    if (c.code === yonghe.communityCode || c.code === yulong.communityCode) continue
    rows.push(
      row(`community:${c.code}`, {
        name: `${c.name}检测点（示例）`,
        address: `${c.name}党群服务中心`,
        lat: c.centre.lat,
        lng: c.centre.lng,
        communityCode: c.code,
        streetCode: c.streetCode,
        hours: DAYTIME
      })
    )
  }
  return insertMissingRows(em, TestingPoint, rows)
}
