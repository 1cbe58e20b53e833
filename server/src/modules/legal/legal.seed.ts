import { SEED_PLACES, STREETS } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { insertMissingRows, stableId, type SeedCommunity } from '../demo/index'
import { JUSTICE_DEPARTMENT } from './legal-admin.service'
import { generateSlots } from './legal-slots.service'
import { LegalProvider, LegalSchedule, LegalStation } from './legal.entity'

interface StationPlan {
  key: string
  name: string
  level: string
  kind: string
  streetCode: string | null
  communityCode: string | null
  address: string
  point: { lat: number; lng: number } | null
  topics: string[]
  minLeadMinutes?: number
  providers: Array<{
    name: string
    kind: 'lawyer' | 'mediator' | 'counsellor'
    topics: string[]
    schedules: Array<[weekday: number, start: string, end: string, slotMinutes: number, capacity: number]>
  }>
}

/**
 * The three-level legal network of the demo (synthetic providers, marked 示例): the district legal
 * aid centre, a street station in 水泊寺 and in two other streets, 永和社区's legal room, the 1826
 * marriage and family station and the mediation centre, each with providers, weekly schedules and
 * two weeks of slots.
 */
export async function seedLegal(em: EntityManager, now: Date, communities: SeedCommunity[]): Promise<{ stations: number; slots: number }> {
  const yonghe = SEED_PLACES.yongheCommunity
  const otherStreets = communities.filter((c) => c.streetCode !== yonghe.streetCode).slice(0, 2)
  const plans: StationPlan[] = [
    {
      key: 'district-aid',
      name: '平城区法律援助中心',
      level: 'district',
      kind: 'legal_aid_centre',
      streetCode: null,
      communityCode: null,
      address: '平城区司法局一楼（示例地址）',
      point: null,
      topics: ['法律援助', '劳动争议', '人身损害'],
      providers: [
        {
          name: '示例律师 王明',
          kind: 'lawyer',
          topics: ['劳动争议', '合同纠纷'],
          schedules: [
            [1, '09:00', '11:30', 30, 2],
            [3, '14:30', '17:00', 30, 2]
          ]
        },
        {
          name: '示例律师 赵丽',
          kind: 'lawyer',
          topics: ['人身损害', '法律援助'],
          schedules: [
            [2, '09:00', '11:30', 30, 2],
            [4, '09:00', '11:30', 30, 2]
          ]
        }
      ]
    },
    {
      key: 'street-066',
      name: '水泊寺街道法律服务站',
      level: 'street',
      kind: 'legal_service_station',
      streetCode: yonghe.streetCode,
      communityCode: null,
      address: '水泊寺街道便民服务中心（示例地址）',
      point: null,
      topics: ['邻里纠纷', '物业纠纷', '婚姻家庭'],
      providers: [
        {
          name: '示例调解员 李强',
          kind: 'mediator',
          topics: ['邻里纠纷', '物业纠纷'],
          schedules: [
            [2, '14:30', '17:30', 30, 3],
            [5, '09:00', '11:30', 30, 3]
          ]
        }
      ]
    },
    ...otherStreets.map((c): StationPlan => ({
      key: `street-${c.streetCode}`,
      name: `${STREETS.find((st) => st.code === c.streetCode)?.name ?? c.streetCode}法律服务站`,
      level: 'street',
      kind: 'legal_service_station',
      streetCode: c.streetCode,
      communityCode: null,
      address: `${c.name}附近街道便民服务中心（示例地址）`,
      point: c.centre,
      topics: ['邻里纠纷', '劳动争议'],
      providers: [{ name: `示例律师 周${c.streetCode.slice(-2)}`, kind: 'lawyer', topics: ['劳动争议'], schedules: [[4, '14:30', '17:00', 30, 2]] }]
    })),
    {
      key: 'community-yonghe',
      name: '永和社区法律服务室',
      level: 'community',
      kind: 'legal_service_room',
      streetCode: yonghe.streetCode,
      communityCode: yonghe.communityCode,
      address: '永和社区党群服务中心二楼（示例地址）',
      point: yonghe.point,
      topics: ['婚姻家庭', '继承', '邻里纠纷'],
      providers: [
        {
          name: '示例律师 陈静',
          kind: 'lawyer',
          topics: ['婚姻家庭', '继承'],
          schedules: [
            [3, '09:00', '11:00', 30, 1],
            [6, '09:00', '11:00', 30, 1]
          ]
        }
      ]
    },
    {
      key: 'special-1826',
      name: '平城区“1826”婚姻家庭辅导站',
      level: 'special',
      kind: 'marriage_family_1826',
      streetCode: null,
      communityCode: null,
      address: '平城区妇联服务大厅（示例地址）',
      point: null,
      topics: ['婚姻家庭', '子女教育', '心理疏导'],
      minLeadMinutes: 60,
      providers: [
        {
          name: '示例咨询师 刘芳',
          kind: 'counsellor',
          topics: ['婚姻家庭', '心理疏导'],
          schedules: [
            [1, '14:30', '17:30', 60, 1],
            [4, '14:30', '17:30', 60, 1]
          ]
        }
      ]
    },
    {
      key: 'special-mediation',
      name: '平城区矛盾纠纷多元化解调处中心',
      level: 'special',
      kind: 'mediation_centre',
      streetCode: null,
      communityCode: null,
      address: '平城区综治中心（示例地址）',
      point: null,
      topics: ['矛盾纠纷调解', '物业纠纷', '劳动争议'],
      providers: [
        {
          name: '示例调解员 孙刚',
          kind: 'mediator',
          topics: ['矛盾纠纷调解'],
          schedules: [
            [1, '09:00', '12:00', 60, 2],
            [5, '14:30', '17:30', 60, 2]
          ]
        }
      ]
    }
  ]
  const stations: LegalStation[] = []
  const providers: LegalProvider[] = []
  const schedules: LegalSchedule[] = []
  for (const plan of plans) {
    const stationId = stableId(`legal-station:${plan.key}`)
    stations.push(
      Object.assign(new LegalStation(), {
        id: stationId,
        name: plan.name,
        level: plan.level,
        kind: plan.kind,
        streetCode: plan.streetCode,
        communityCode: plan.communityCode,
        departmentCode: JUSTICE_DEPARTMENT,
        address: plan.address,
        lat: plan.point?.lat ?? null,
        lng: plan.point?.lng ?? null,
        phone: '12348',
        topics: JSON.stringify(plan.topics),
        minLeadMinutes: plan.minLeadMinutes ?? 120,
        cancelCutoffMinutes: 120,
        active: true,
        synthetic: true,
        createdAt: now,
        updatedAt: now
      })
    )
    for (const p of plan.providers) {
      const providerId = stableId(`legal-provider:${plan.key}:${p.name}`)
      providers.push(
        Object.assign(new LegalProvider(), {
          id: providerId,
          stationId,
          name: p.name,
          kind: p.kind,
          topics: JSON.stringify(p.topics),
          bio: '演示数据，非真实人员。',
          userId: null,
          active: true,
          synthetic: true,
          createdAt: now
        })
      )
      for (const [weekday, startTime, endTime, slotMinutes, capacity] of p.schedules) {
        schedules.push(
          Object.assign(new LegalSchedule(), {
            id: stableId(`legal-schedule:${providerId}:${weekday}:${startTime}`),
            providerId,
            weekday,
            startTime,
            endTime,
            slotMinutes,
            capacity,
            active: true,
            createdAt: now
          })
        )
      }
    }
  }
  const newStations = await insertMissingRows(em, LegalStation, stations)
  await insertMissingRows(em, LegalProvider, providers)
  await insertMissingRows(em, LegalSchedule, schedules)
  return { stations: newStations, slots: await generateSlots(em, now, 14) }
}
