import { SEED_PLACES } from '@palm/shared'
import type { EntityManager } from 'typeorm'
import { User } from '../auth/user.entity'
import { insertMissingRows, stableId } from '../demo/index'
import { ActivitySignup, AntiFraudAlert, Volunteer, VolunteerActivity } from './volunteer.entity'

const HOUR = 3600_000
const DAY = 24 * HOUR
/** The demo sign-in's default volunteer persona (auth: demoKey `volunteer:<key>`). */
const DEMO_VOLUNTEER_KEY = 'volunteer:default'

function syntheticUser(id: string, displayName: string, now: Date, demoKey: string | null): User {
  return Object.assign(new User(), {
    id,
    role: 'volunteer',
    displayName,
    openid: null,
    unionid: null,
    openidSource: null,
    username: null,
    passwordHash: null,
    totpSecret: null,
    totpLastStep: null,
    phone: null,
    gridCode: null,
    communityCode: null,
    streetCode: null,
    departmentCode: null,
    onDuty: false,
    disabled: false,
    failedLogins: 0,
    lockedUntil: null,
    demoKey,
    synthetic: true,
    createdAt: now,
    updatedAt: now
  })
}

/** The default demo volunteer, so that persona can sign up at once (other keys register and are approved as usual). */
async function demoVolunteerUser(em: EntityManager, now: Date): Promise<User> {
  const existing = await em.findOneBy(User, { demoKey: DEMO_VOLUNTEER_KEY })
  if (existing) return existing
  const user = syntheticUser(stableId('user:demo-volunteer'), '演示志愿者', now, DEMO_VOLUNTEER_KEY)
  await insertMissingRows(em, User, [user])
  return (await em.findOneBy(User, { demoKey: DEMO_VOLUNTEER_KEY })) ?? user
}

/**
 * The 平城反诈 alliance of the demo (all synthetic): the demo volunteer and six members of 永和社区,
 * upcoming activities (publicity, training, a talk for elders in 绿地世纪城), two activities of last
 * week with check-ins so the leaderboard and records show hours, and three alerts.
 */
export async function seedAlliance(em: EntityManager, now: Date, organiserId: string): Promise<{ activities: number }> {
  const yonghe = SEED_PLACES.yongheCommunity
  const members = ['示例志愿者 张红', '示例志愿者 王建国', '示例志愿者 李秀英', '示例志愿者 赵敏', '示例志愿者 孙立', '示例志愿者 周平'].map((name, i) =>
    syntheticUser(stableId(`user:alliance-member:${i}`), name, now, null)
  )
  await insertMissingRows(em, User, members)
  const demo = await demoVolunteerUser(em, now)
  const people = [demo, ...members]
  await insertMissingRows(
    em,
    Volunteer,
    people.map((u, i) =>
      Object.assign(new Volunteer(), {
        id: stableId(`volunteer:${u.id}`),
        userId: u.id,
        number: `PCFZ-DEMO-${String(i + 1).padStart(4, '0')}`,
        name: u.displayName.replace('示例志愿者 ', ''),
        phone: `1390000${String(1000 + i)}`,
        communityCode: yonghe.communityCode,
        streetCode: yonghe.streetCode,
        skills: JSON.stringify(['反诈宣传', '普通话']),
        status: 'approved',
        rejectionReason: null,
        decidedBy: organiserId,
        approvedAt: now,
        synthetic: true,
        createdAt: now,
        updatedAt: now
      })
    )
  )
  const activity = (
    key: string,
    a: { title: string; description: string; kind: string; place: string; point: { lat: number; lng: number } | null; startsAt: Date; hours: number; capacity: number; signedUp?: number }
  ) =>
    Object.assign(new VolunteerActivity(), {
      id: stableId(`activity:${key}`),
      title: a.title,
      description: a.description,
      kind: a.kind,
      place: a.place,
      lat: a.point?.lat ?? null,
      lng: a.point?.lng ?? null,
      communityCode: yonghe.communityCode,
      streetCode: yonghe.streetCode,
      departmentCode: null,
      startsAt: a.startsAt,
      endsAt: new Date(a.startsAt.getTime() + a.hours * HOUR),
      signupDeadline: new Date(a.startsAt.getTime() - 2 * HOUR),
      capacity: a.capacity,
      signedUp: a.signedUp ?? 0,
      waitlistSeq: 0,
      checkinCode: '202612',
      cancelled: false,
      organiser: '永和社区',
      createdBy: organiserId,
      synthetic: true,
      createdAt: now,
      updatedAt: now
    })
  const day = (offset: number, hour: number) => new Date(Math.floor(now.getTime() / DAY) * DAY + offset * DAY + (hour - 8) * HOUR)
  const past = [
    activity('past-publicity', {
      title: '反诈宣传进广场（示例）',
      description: '在永和社区广场发放反诈宣传册、讲解常见骗局。',
      kind: 'publicity',
      place: '永和社区广场',
      point: yonghe.point,
      startsAt: day(-6, 9),
      hours: 3,
      capacity: 10,
      signedUp: 7
    }),
    activity('past-patrol', {
      title: '反诈入户走访（示例）',
      description: '走访独居老人，提醒防范养老诈骗。',
      kind: 'patrol',
      place: '永和社区各小区',
      point: null,
      startsAt: day(-3, 14),
      hours: 2,
      capacity: 10,
      signedUp: 4
    })
  ]
  const upcoming = [
    activity('upcoming-square', {
      title: '反诈宣传进社区',
      description: '发放宣传资料，帮助居民安装国家反诈中心 App。',
      kind: 'publicity',
      place: '永和社区广场',
      point: yonghe.point,
      startsAt: day(2, 9),
      hours: 3,
      capacity: 12
    }),
    activity('upcoming-training', {
      title: '反诈志愿者培训',
      description: '派出所民警讲解最新诈骗手法与劝阻话术。',
      kind: 'training',
      place: '水泊寺街道便民服务中心',
      point: null,
      startsAt: day(4, 14),
      hours: 2,
      capacity: 30
    }),
    activity('upcoming-elders', {
      title: '老年人防诈骗讲座',
      description: '在绿地世纪城为老年居民讲解保健品、养老投资类骗局。',
      kind: 'publicity',
      place: '绿地世纪城会所',
      point: SEED_PLACES.lvdiShijicheng.point,
      startsAt: day(6, 15),
      hours: 2,
      capacity: 2
    })
  ]
  const added = await insertMissingRows(em, VolunteerActivity, [...past, ...upcoming])
  const attended = (a: VolunteerActivity, users: User[], minutes: number) =>
    users.map((u) =>
      Object.assign(new ActivitySignup(), {
        id: stableId(`signup:${a.id}:${u.id}`),
        activityId: a.id,
        activeActivityId: a.id,
        userId: u.id,
        status: 'confirmed',
        waitlistPosition: null,
        checkinAt: a.startsAt,
        checkoutAt: new Date(a.startsAt.getTime() + minutes * 60_000),
        serviceMinutes: minutes,
        promotedAt: null,
        createdAt: a.createdAt,
        cancelledAt: null
      })
    )
  const [pastPublicity, pastPatrol] = past as [VolunteerActivity, VolunteerActivity]
  await insertMissingRows(em, ActivitySignup, [...attended(pastPublicity, [demo, ...members], 180), ...attended(pastPatrol, members.slice(0, 4), 120)])
  await insertMissingRows(em, AntiFraudAlert, [
    alert('refund', '警惕“客服退款”诈骗', '自称电商客服说商品有质量问题要退款，让您开通“备用金”或共享屏幕的，都是诈骗。', 'urgent', now, 1),
    alert('pension', '养老诈骗手法提示', '以“高额返利”“以房养老”为名吸收老年人资金的，请先与子女和社区核实。', 'warning', now, 2),
    alert('app', '请安装国家反诈中心 App', '开启来电预警，可识别涉诈电话和短信。', 'info', now, 3)
  ])
  return { activities: added }
}

function alert(key: string, title: string, body: string, level: string, now: Date, daysAgo: number): AntiFraudAlert {
  return Object.assign(new AntiFraudAlert(), {
    id: stableId(`alert:${key}`),
    title: `${title}（示例）`,
    body,
    level,
    publisher: '平城区反诈中心（示例）',
    publishedBy: stableId('user:anti-fraud-publisher'),
    publishedAt: new Date(now.getTime() - daysAgo * DAY),
    synthetic: true
  })
}
