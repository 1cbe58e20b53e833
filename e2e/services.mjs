#!/usr/bin/env node
// The resident services in a real Chromium against `npm start` (or E2E_BASE_URL): a resident books a
// legal consultation (and a second booking of the same slot is refused in plain words), files a fraud
// tip (an invalid number and address are caught before sending), registers with the 平城反诈 alliance,
// is approved by the community's staff, signs up for an activity, and joins the waiting list of a full
// one. Screenshots go to test-output/screenshots/services-*.png. Exits non-zero on a failed step.
import { api, browserRun, confirmModal, demoToken, log, pickOption, startServer, visible } from './harness.mjs'

const RESIDENT_KEY = `e2e-services-${Date.now().toString(36)}`
const YONGHE = { streetCode: '140213066', communityCode: '140213066001' }

async function main() {
  const server = await startServer()
  const { base } = server
  const run = await browserRun({ prefix: 'services' })
  const { newPhone, shoot, step } = run
  let code = 1
  try {
    const [firstStreet] = await api(base, '/api/territory/streets')
    const [firstCommunity] = await api(base, `/api/territory/communities?streetCode=${firstStreet.code}`)
    log(`volunteer community: ${firstStreet.name} ${firstCommunity.name}`)
    const resident = await newPhone()
    let slotId = ''

    await step('resident opens 法律咨询 from the home page and sees the stations by level', async () => {
      await resident.goto(`${base}/#/pages/home/index`)
      await resident.locator('.privacy-accept').click()
      await resident.locator('.privacy-gate').waitFor({ state: 'detached' })
      await shoot(resident, 'home')
      await resident.locator('.home-tile', { hasText: '法律咨询' }).click()
      await resident.waitForURL(/packages\/legal\/stations/)
      await visible(resident).locator('.station-card').first().waitFor()
      await shoot(resident, 'legal-stations')
    })

    await step('resident picks a slot with seats left, signs in, and books it with a topic and description', async () => {
      await visible(resident).locator('.station-card', { hasText: '平城区法律援助中心' }).click()
      await resident.waitForURL(/packages\/legal\/station\//)
      const free = visible(resident).locator('.slot:not(.is-off)').first()
      await free.waitFor()
      slotId = (await free.getAttribute('data-slot')) ?? ''
      await shoot(resident, 'legal-slots')
      await free.click()
      await visible(resident).locator('.sign-in-needed-btn').click()
      await resident.waitForURL(/packages\/auth\/sign-in/)
      await visible(resident).locator('.resident-key input').fill(RESIDENT_KEY)
      await visible(resident).locator('.demo-sign-in').click()
      await resident.waitForURL(/packages\/legal\/station\//)
      await visible(resident).locator(`.slot[data-slot="${slotId}"]`).click()
      const form = visible(resident).locator('.booking-form')
      await form.waitFor()
      await form.locator('.topic-chips .chip').first().click()
      await form.locator('.input-description textarea').fill('公司拖欠三个月工资，想咨询怎样申请劳动仲裁。')
      await shoot(resident, 'legal-booking-form', { fullPage: true })
      await form.locator('.booking-submit').click()
      await resident.waitForURL(/packages\/legal\/booking\//)
      await visible(resident).locator('.booking-status', { hasText: '已预约' }).waitFor()
      await shoot(resident, 'legal-booked')
    })

    await step(
      'a slot a neighbour takes meanwhile is refused in plain words (409 slot_full)',
      async () => {
        // The refused booking is the point of this step: its 409 in the console is expected.
        run.checks.expect(/status of 409 .*\/api\/legal\/bookings/)
        await resident.goto(`${base}/#/packages/legal/stations/index`)
        await resident.reload()
        await visible(resident).locator('.station-card', { hasText: '1826' }).click()
        await resident.waitForURL(/packages\/legal\/station\//)
        const free = visible(resident).locator('.slot:not(.is-off)').first()
        await free.waitFor()
        const lastSeat = (await free.getAttribute('data-slot')) ?? ''
        await free.click()
        const form = visible(resident).locator('.booking-form')
        await form.locator('.topic-chips .chip').first().click()
        await form.locator('.input-description textarea').fill('想了解协议离婚的流程和需要准备的材料。')
        const neighbour = await demoToken(base, { persona: 'resident', key: `${RESIDENT_KEY}-neighbour` })
        await api(base, '/api/legal/bookings', {
          method: 'POST',
          headers: { authorization: `Bearer ${neighbour}`, 'idempotency-key': crypto.randomUUID() },
          body: JSON.stringify({ slotId: lastSeat, topic: '婚姻家庭', description: '邻居抢先约走了最后一个名额。' })
        })
        await form.locator('.booking-submit').click()
        await form.locator('.booking-refusal', { hasText: '该时段已约满' }).waitFor()
        await visible(resident).locator(`.slot[data-slot="${lastSeat}"] .slot-seats`, { hasText: '已约满' }).waitFor()
        await shoot(resident, 'legal-slot-full')
      },
      { independent: true }
    )

    await step('resident starts a fraud tip; an invalid number and address are caught before sending', async () => {
      await resident.goto(`${base}/#/pages/home/index`)
      await visible(resident).locator('.home-tile', { hasText: '反诈举报' }).click()
      await resident.waitForURL(/packages\/tips\/fraud/)
      await pickOption(resident, '.picker-category')
      const v = visible(resident)
      await v.locator('.input-phone input').fill('12345')
      await v.locator('.input-url input').fill('www.fake-refund.cn')
      await v.locator('.input-whatHappened textarea').fill('对方自称快递客服，说包裹丢失要理赔，让我下载会议软件并共享屏幕，随后银行卡被转走 3000 元。')
      await v.locator('.tip-submit').click()
      await v.locator('[data-error-for="phone"]').waitFor()
      await v.locator('[data-error-for="url"]').waitFor()
      await shoot(resident, 'fraud-errors', { fullPage: true })
    })

    await step('resident corrects the leads, chooses anonymous, and follows the tip on its ticket page', async () => {
      const v = visible(resident)
      await v.locator('.input-phone input').fill('0352-6123456')
      await v.locator('.input-url input').fill('https://fake-refund.example.cn/claim')
      await v.locator('.input-paymentAccount input').fill('6222 0210 0000 1234')
      await v.locator('.input-amountLost input').fill('3000')
      await v.locator('.anonymous-switch').click()
      await shoot(resident, 'fraud-filled', { fullPage: true })
      await v.locator('.tip-submit').click()
      await resident.waitForURL(/packages\/ticket\/detail/)
      await visible(resident).locator('.ticket-summary-text', { hasText: '快递客服' }).waitFor()
      await shoot(resident, 'fraud-submitted')
    })

    await step('resident registers with the 平城反诈 alliance', async () => {
      await resident.goto(`${base}/#/pages/home/index`)
      await visible(resident).locator('.home-tile', { hasText: '平城反诈' }).click()
      await resident.waitForURL(/packages\/alliance\/hub/)
      await visible(resident).locator('.join-alliance').waitFor()
      await shoot(resident, 'alliance-hub')
      await visible(resident).locator('.join-alliance').click()
      await resident.waitForURL(/packages\/alliance\/register/)
      const v = visible(resident)
      await v.locator('.input-name input').fill('王秀兰')
      await v.locator('.input-phone input').fill('13912345678')
      await pickOption(resident, '.picker-street')
      await v.locator('.picker-street', { hasText: firstStreet.name }).waitFor()
      await pickOption(resident, '.picker-community')
      await v.locator('.picker-community', { hasText: firstCommunity.name }).waitFor()
      await shoot(resident, 'alliance-register', { fullPage: true })
      await v.locator('.register-submit').click()
      await confirmModal(resident)
      await resident.waitForURL(/packages\/alliance\/hub/)
      await visible(resident).locator('.volunteer-status', { hasText: '审核中' }).waitFor()
      await shoot(resident, 'alliance-pending')
    })

    await step(`${firstCommunity.name}'s staff approves the registration`, async () => {
      const staff = await newPhone()
      const q = new URLSearchParams({ persona: 'community_staff', streetCode: firstStreet.code, communityCode: firstCommunity.code, redirect: '/packages/services-staff/volunteers/index' })
      await staff.goto(`${base}/#/packages/auth/sign-in/index?${q}`)
      await visible(staff).locator('.picker-community', { hasText: firstCommunity.name }).waitFor()
      await visible(staff).locator('.demo-sign-in').click()
      await staff.waitForURL(/services-staff\/volunteers/)
      const card = visible(staff).locator('.volunteer-card', { hasText: '王秀兰' })
      await card.waitFor()
      await shoot(staff, 'staff-volunteers')
      await card.locator('.volunteer-approve').click()
      await card.waitFor({ state: 'detached' })
      await staff.goto(`${base}/#/packages/services-staff/hub/index`)
      await visible(staff).locator('.staff-link-volunteers').waitFor()
      await shoot(staff, 'staff-hub')
    })

    await step('the approved volunteer signs up for 反诈宣传进社区', async () => {
      await resident.goto(`${base}/#/packages/alliance/activities/index`)
      await resident.reload()
      const card = visible(resident).locator('.activity-card', { hasText: '反诈宣传进社区' })
      await card.waitFor()
      await shoot(resident, 'activities')
      await card.click()
      await resident.waitForURL(/packages\/alliance\/activity\//)
      await visible(resident).locator('.signup-submit').click()
      await visible(resident).locator('.confirmed-state').waitFor()
      await resident.waitForTimeout(1500) // let the 报名成功 toast go
      await shoot(resident, 'activity-signed-up', { fullPage: true })
    })

    await step(
      'a full activity offers the waiting list and shows the place in it',
      async () => {
        const staffToken = await demoToken(base, { persona: 'community_staff', ...YONGHE })
        const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)
        const activity = await api(base, '/api/activities', {
          method: 'POST',
          headers: { authorization: `Bearer ${staffToken}` },
          body: JSON.stringify({
            title: '反诈知识进校园（名额 1 人）',
            description: '为平城一中学生讲解电信诈骗。',
            kind: 'publicity',
            place: '平城一中报告厅',
            startsAt: `${day}T14:00:00+08:00`,
            endsAt: `${day}T16:00:00+08:00`,
            signupDeadline: `${day}T10:00:00+08:00`,
            capacity: 1,
            communityCode: YONGHE.communityCode
          })
        })
        const volunteerToken = await demoToken(base, { persona: 'volunteer', key: 'default' })
        await api(base, `/api/activities/${activity.id}/signups`, {
          method: 'POST',
          headers: { authorization: `Bearer ${volunteerToken}`, 'idempotency-key': crypto.randomUUID() },
          body: JSON.stringify({})
        })
        await resident.goto(`${base}/#/packages/alliance/activity/index?id=${activity.id}`)
        await resident.reload()
        await visible(resident).locator('.full-state').waitFor()
        await visible(resident).locator('.waitlist-submit').click()
        await visible(resident).locator('.waitlist-state', { hasText: '候补第 1 位' }).waitFor()
        await resident.waitForTimeout(1500)
        await shoot(resident, 'activity-waitlist', { fullPage: true })
      },
      { independent: true }
    )

    await step(
      'the volunteer finds both in 我报名的',
      async () => {
        await resident.goto(`${base}/#/packages/alliance/activities/index?mine=1`)
        await resident.reload()
        await visible(resident).locator('.activity-card', { hasText: '反诈宣传进社区' }).waitFor()
        await shoot(resident, 'my-signups')
      },
      { independent: true }
    )

    // ── the other pages, each seen once (independent: they check the pages render in Chinese) ──
    await step(
      'testing points nearest first, then only those open now',
      async () => {
        const { items } = await api(base, '/api/testing-points?communityCode=140213066001')
        const here = items[0]?.location ?? { lat: 40.08, lng: 113.3 }
        const phone = await newPhone({ permissions: ['geolocation'], geolocation: { latitude: here.lat, longitude: here.lng, accuracy: 20 } })
        await phone.goto(`${base}/#/pages/home/index`)
        await phone.locator('.privacy-accept').click()
        await phone.locator('.home-tile', { hasText: '核酸检测点' }).click()
        await phone.waitForURL(/packages\/points\/list/)
        await visible(phone).locator('.point-card .point-distance').first().waitFor()
        await shoot(phone, 'points-nearest')
        await visible(phone).locator('.chip-open_now').click()
        await phone.waitForTimeout(800)
        await shoot(phone, 'points-open-now')
      },
      { independent: true }
    )

    await step(
      'the hazard tip form',
      async () => {
        await resident.goto(`${base}/#/packages/tips/hazard/index`)
        await resident.reload()
        await visible(resident).locator('.picker-category').waitFor()
        await shoot(resident, 'hazard-form')
      },
      { independent: true }
    )

    await step(
      'the demo volunteer’s service record and the monthly leaderboard',
      async () => {
        const phone = await newPhone()
        const q = new URLSearchParams({ persona: 'volunteer', key: 'default', redirect: '/packages/alliance/record/index' })
        await phone.goto(`${base}/#/packages/auth/sign-in/index?${q}`)
        await visible(phone).locator('.demo-sign-in').click()
        await phone.waitForURL(/alliance\/record/)
        await visible(phone).locator('.service-hours').waitFor()
        await shoot(phone, 'service-record')
        await phone.goto(`${base}/#/packages/alliance/leaderboard/index`)
        await phone.reload()
        // The demo hours are 3–6 days old: in the first days of a month they belong to the month before.
        const board = visible(phone)
        await board.locator('.rank-row, .state-empty').first().waitFor()
        if ((await board.locator('.rank-row').count()) === 0) await board.locator('.month-prev').click()
        await board.locator('.rank-row').first().waitFor()
        await shoot(phone, 'leaderboard')
      },
      { independent: true }
    )

    await step(
      '永和社区 staff: points, legal station, hazard ledger, activity with its check-in code',
      async () => {
        const staff = await newPhone()
        const q = new URLSearchParams({ persona: 'community_staff', ...YONGHE, redirect: '/packages/services-staff/points/index' })
        await staff.goto(`${base}/#/packages/auth/sign-in/index?${q}`)
        await visible(staff).locator('.picker-community', { hasText: '永和社区' }).waitFor()
        await visible(staff).locator('.demo-sign-in').click()
        await staff.waitForURL(/services-staff\/points/)
        await visible(staff).locator('.staff-point').first().waitFor()
        await shoot(staff, 'staff-points')
        await visible(staff).locator('.staff-point').first().click()
        await visible(staff).locator('.point-save').waitFor()
        await shoot(staff, 'staff-point-edit')
        await staff.goto(`${base}/#/packages/services-staff/stations/index`)
        await staff.reload()
        await visible(staff).locator('.staff-station').first().click()
        await visible(staff).locator('.list-card-title').first().waitFor()
        await shoot(staff, 'staff-station')
        await staff.goto(`${base}/#/packages/services-staff/hazards/index`)
        await staff.reload()
        await visible(staff).locator('.hazard-export').waitFor()
        await staff.waitForTimeout(800)
        await shoot(staff, 'staff-hazards')
        await staff.goto(`${base}/#/packages/services-staff/activities/index`)
        await staff.reload()
        await visible(staff).locator('.staff-activity').first().click()
        await visible(staff).locator('.activity-code').waitFor()
        await shoot(staff, 'staff-activity-code')
      },
      { independent: true }
    )

    await step(
      '永和社区 staff enters a hazard, verifies it, and exports the ledger as CSV for Excel',
      async () => {
        const staff = await newPhone({ acceptDownloads: true })
        const q = new URLSearchParams({ persona: 'community_staff', ...YONGHE, redirect: '/packages/services-staff/hazard-new/index' })
        await staff.goto(`${base}/#/packages/auth/sign-in/index?${q}`)
        await visible(staff).locator('.picker-community', { hasText: '永和社区' }).waitFor()
        await visible(staff).locator('.demo-sign-in').click()
        await staff.waitForURL(/services-staff\/hazard-new/)
        const form = visible(staff)
        await form.locator('.picker-community', { hasText: '永和社区' }).waitFor()
        await form.locator('.input-place input').fill('永和小区 5 号楼北侧自建平房')
        await form.locator('.input-description textarea').fill('加盖二层，墙体有裂缝，住着租户。')
        await form.locator('.hazard-save').click()
        await staff.waitForURL(/services-staff\/hazard\//)
        await visible(staff).locator('.hazard-submit').click()
        await visible(staff).locator('.hazard-status', { hasText: '已核实' }).waitFor()
        await staff.waitForTimeout(1500)
        await shoot(staff, 'staff-hazard-verified')
        await staff.goto(`${base}/#/packages/services-staff/hazards/index`)
        await staff.reload()
        await visible(staff).locator('.hazard-card', { hasText: '5 号楼' }).waitFor()
        await shoot(staff, 'staff-hazard-ledger')
        const download = staff.waitForEvent('download')
        await visible(staff).locator('.hazard-export').click()
        const file = await (await download).path()
        const bytes = (await import('node:fs')).readFileSync(file)
        if (!(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)) throw new Error('the CSV has no UTF-8 BOM')
        const text = bytes.toString('utf8')
        if (!text.includes('5 号楼北侧自建平房')) throw new Error(`the CSV lacks the entry: ${text.slice(0, 200)}`)
        log(`CSV ${bytes.length} bytes, first line: ${text.slice(1).split('\n')[0]}`)
      },
      { independent: true }
    )

    await step(
      'no service page is wider than a 320 px screen',
      async () => {
        const narrow = await newPhone({ viewport: { width: 320, height: 640 } })
        const routes = ['legal/stations/index', 'points/list/index', 'alliance/hub/index', 'alliance/activities/index', 'alliance/leaderboard/index', 'alliance/alerts/index']
        for (const route of routes) {
          await narrow.goto(`${base}/#/packages/${route}`)
          await narrow.reload()
          await narrow.locator('.page').first().waitFor()
          await narrow.waitForTimeout(900)
          const width = await narrow.evaluate(() => document.documentElement.scrollWidth)
          if (width > 320) throw new Error(`${route} is ${width} px wide at 320 px`)
        }
        await shoot(narrow, 'narrow-320')
      },
      { independent: true }
    )
    code = await run.finish()
  } catch (err) {
    code = await run.finish(err)
    const tail = server.output()
    if (tail.trim()) console.error(`--- last server output ---\n${tail}`)
  } finally {
    await server.stop()
  }
  process.exit(code)
}

await main()
