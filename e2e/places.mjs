#!/usr/bin/env node
// Places with QR codes (一码通), 我的网格 and 网格档案 in a real Chromium against `npm start` (or
// E2E_BASE_URL): 永和社区's staff makes a place at their position and its code, prints the grid's
// sheet; the test decodes the sheet's first code (jsQR on the PNG) and a resident opens it: after
// sign-in the report form is filled with the place, its grid and address. The resident then finds
// their grid (workers' public numbers, the office) and the staff read and edit the grid profile
// (a negative count is refused in plain words). Screenshots: test-output/screenshots/places-*.png.
import { createRequire } from 'node:module'
import path from 'node:path'
import { api, browserRun, confirmModal, demoToken, log, pickOption, root, startServer, visible } from './harness.mjs'

// jsQR and sharp are the server's (test) dependencies.
const requireServer = createRequire(path.join(root, 'server/package.json'))
const jsQR = requireServer('jsqr')
const sharp = requireServer('sharp')

const LVDI = { lat: 40.0578, lng: 113.2988 } // SEED_PLACES.lvdiShijicheng (绿地世纪城, 永和社区)
const YONGHE = { streetCode: '140213066', communityCode: '140213066001' }
const WORK_PHONE = '0352-5558899'
const PLACE_NAME = `永和卫生服务站（e2e ${Date.now().toString(36)}）`

/** The text of the first QR code found in a region of a PNG. */
async function decodeQr(png, region) {
  const { data, info } = await sharp(png).extract(region).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height)?.data ?? null
}

async function main() {
  const server = await startServer()
  const { base } = server
  const run = await browserRun({ prefix: 'places' })
  const { newPhone, shoot, step } = run
  let code = 1
  try {
    const located = await api(base, `/api/territory/locate?lat=${LVDI.lat}&lng=${LVDI.lng}`)
    const gridCode = located.grid.code
    log(`grid of 绿地世纪城: ${located.grid.name} (${gridCode})`)
    const geo = { permissions: ['geolocation'], geolocation: { latitude: LVDI.lat + 0.0002, longitude: LVDI.lng + 0.0001, accuracy: 15 } }
    const staff = await newPhone(geo)
    let sheetUrl = ''
    let firstPlace = ''
    let workerName = ''

    await step('永和社区 staff open 一码通 from the services hub and see the grid’s seeded places', async () => {
      const q = new URLSearchParams({ persona: 'community_staff', ...YONGHE, redirect: '/packages/services-staff/hub/index' })
      await staff.goto(`${base}/#/packages/auth/sign-in/index?${q}`)
      await visible(staff).locator('.demo-sign-in').click()
      await staff.waitForURL(/services-staff\/hub/)
      await visible(staff).locator('.staff-link-places').click()
      await staff.waitForURL(/packages\/grid\/places/)
      // The community has several grids: open the one of 绿地世纪城.
      await staff.goto(`${base}/#/packages/grid/places/index?grid=${encodeURIComponent(gridCode)}`)
      await staff.reload()
      await visible(staff).locator('.place-item', { hasText: '绿地世纪城3号楼' }).waitFor()
      await shoot(staff, 'staff-places')
    })

    await step('staff make a place at their position (GPS) and show its QR code', async () => {
      const v = visible(staff)
      await v.locator('.input-place-name input').fill(PLACE_NAME)
      await v.locator('.field-place-kind select').selectOption({ label: '公共设施' })
      await v.locator('.input-place-address input').fill('永和路8号')
      await v.locator('.use-position').click()
      await staff.waitForFunction(() => [...document.querySelectorAll('.input-place-lat input')].some((i) => i.value.startsWith('40.05')))
      await shoot(staff, 'staff-new-place', { fullPage: true })
      await v.locator('.create-place').click()
      const item = v.locator('.place-item', { hasText: PLACE_NAME })
      await item.waitFor()
      await item.locator('.show-code').click()
      await item.locator('.place-code-image').waitFor()
      await item.scrollIntoViewIfNeeded()
      await shoot(staff, 'staff-place-code')
    })

    await step(
      'staff may pick a place’s point on the map instead (the grid outlined, no tile server needed)',
      async () => {
        const v = visible(staff)
        // Standing at the building: GPS first, then the map opens there and the pin is moved a little.
        await v.locator('.use-position').click()
        await staff.waitForFunction(() => [...document.querySelectorAll('.input-place-lat input')].some((i) => i.value.startsWith('40.05')))
        const gpsLat = await v.locator('.input-place-lat input').inputValue()
        await v.locator('.pick-on-map').click()
        const canvas = v.locator('.place-map-canvas')
        await v.locator('.place-map-pin').waitFor()
        await canvas.scrollIntoViewIfNeeded()
        const box = await canvas.boundingBox()
        if (!box) throw new Error('the map has no size')
        await staff.waitForTimeout(500)
        await staff.mouse.click(box.x + box.width / 2 + 8, box.y + box.height / 2 + 8)
        await staff.waitForFunction((before) => [...document.querySelectorAll('.input-place-lat input')].some((i) => i.value.startsWith('40.') && i.value !== before), gpsLat)
        await v.locator('.input-place-name input').fill('地图选点楼（e2e）')
        await v.locator('.field-place-kind select').selectOption({ label: '楼栋' })
        await canvas.scrollIntoViewIfNeeded()
        await shoot(staff, 'staff-map-pick')
        await v.locator('.create-place').click()
        await v.locator('.place-item', { hasText: '地图选点楼（e2e）' }).waitFor()
        await v.locator('.pick-on-map').click()
      },
      { independent: true }
    )

    await step(
      'staff remove that place after a confirmation; it leaves the list',
      async () => {
        const item = visible(staff).locator('.place-item', { hasText: '地图选点楼（e2e）' })
        await item.locator('.delete-place').click()
        await confirmModal(staff)
        await item.waitFor({ state: 'detached' })
      },
      { independent: true }
    )

    await step('staff make the printable sheet of the grid (PNG)', async () => {
      const v = visible(staff)
      await v.locator('.make-sheet').click()
      await v.locator('.place-sheet-image').waitFor()
      await v.locator('.place-sheet-image').scrollIntoViewIfNeeded()
      await shoot(staff, 'staff-sheet')
    })

    await step('the sheet’s first code, decoded from the PNG (jsQR), is the report form of the grid’s first place', async () => {
      const token = await demoToken(base, { persona: 'community_staff', ...YONGHE })
      const res = await fetch(`${base}/api/grids/${encodeURIComponent(gridCode)}/places/sheet.png`, { headers: { authorization: `Bearer ${token}` } })
      if (!res.ok || res.headers.get('content-type') !== 'image/png') throw new Error(`sheet.png answered ${res.status} ${res.headers.get('content-type')}`)
      const png = Buffer.from(await res.arrayBuffer())
      sheetUrl = (await decodeQr(png, { left: 20, top: 150, width: 390, height: 384 })) ?? ''
      if (!sheetUrl.startsWith(`${base}/#/packages/report/new/index?scene=`)) throw new Error(`decoded: ${sheetUrl || 'nothing'}`)
      const scene = decodeURIComponent(sheetUrl.split('scene=')[1])
      const resolved = await api(base, `/api/places/scene/${encodeURIComponent(scene)}`)
      if (resolved.grid.code !== gridCode) throw new Error(`the scene resolves to grid ${resolved.grid.code}`)
      firstPlace = resolved.place.name
      log(`sheet code → ${firstPlace}`)
    })

    const resident = await newPhone(geo)
    await step('a resident opens the decoded code: after sign-in the report form has the place, grid and address', async () => {
      await resident.goto(sheetUrl)
      // Not signed in: the form sends the resident to sign in, and back to the same code afterwards.
      await resident.waitForURL(/packages\/auth\/sign-in/)
      await visible(resident)
        .locator('.resident-key input')
        .fill(`e2e-places-${Date.now().toString(36)}`)
      await visible(resident).locator('.demo-sign-in').click()
      await resident.waitForURL(/packages\/report\/new\/index\?scene=/)
      const gate = resident.locator('.privacy-accept')
      if (await gate.isVisible().catch(() => false)) await gate.click()
      const v = visible(resident)
      await v.locator('.place-prefill', { hasText: firstPlace }).waitFor()
      await v.locator('.place-prefill', { hasText: located.grid.name }).waitFor()
      await v.locator('.location-label', { hasText: '永和社区' }).waitFor()
      const address = await v.locator('.address-input input').inputValue()
      if (!address.includes(firstPlace)) throw new Error(`address field: ${address}`)
      await shoot(resident, 'report-prefilled')
    })

    await step('the resident describes the problem and submits: the ticket lands in the place’s grid', async () => {
      const v = visible(resident)
      const native = v.locator('.field-category select')
      if (await native.count()) await native.selectOption({ index: 1 })
      else await pickOption(resident, '.category-picker')
      await v.locator('.description-input textarea').fill('超市门口的垃圾桶满了两天没人清运，气味很大。（e2e 一码通）')
      await v.locator('.report-submit').click()
      await resident.waitForURL(/packages\/ticket\/detail\/index\?id=/)
      const ticketId = new URL(resident.url().replace('#/', '')).searchParams.get('id') ?? ''
      const token = await demoToken(base, { persona: 'community_staff', ...YONGHE })
      const ticket = await api(base, `/api/tickets/${ticketId}`, { headers: { authorization: `Bearer ${token}` } })
      if (ticket.grid?.code !== gridCode && ticket.gridCode !== gridCode) throw new Error(`the ticket went to ${JSON.stringify(ticket.grid ?? ticket.gridCode)}`)
      await shoot(resident, 'report-submitted')
    })

    await step(
      'a forged code says so in plain words and leaves the form usable',
      async () => {
        // The refused lookup (400) prints a console error on purpose (harness checks, when present).
        run.checks?.expect?.(/status of 400 .*\/api\/places\/scene\//)
        const forged = sheetUrl.replace(/scene=([^&]+)/, (_m, s) => `scene=${s.slice(0, -3)}AAA`)
        await resident.goto(forged)
        await resident.reload()
        await visible(resident).locator('.place-prefill-error', { hasText: '无法识别' }).waitFor()
        await shoot(resident, 'report-forged-code')
      },
      { independent: true }
    )

    await step('staff set a worker’s work number under 管理 → 网格联系方式; words instead of a number are refused in plain words', async () => {
      await staff.goto(`${base}/#/packages/admin/hub/index`)
      await staff.reload()
      await visible(staff).locator('.admin-link-contacts').click()
      await staff.waitForURL(/packages\/grid\/contacts/)
      const v = visible(staff)
      await v.locator('.contacts-office .input-office-name input').waitFor()
      const row = v.locator('.contacts-worker', { hasText: located.grid.name }).first()
      await row.waitFor()
      workerName = (await row.locator('.contacts-worker-name').textContent())?.trim() ?? ''
      await row.locator('input').fill('打我手机')
      await row.locator('.worker-save').click()
      await row.locator('.field-error', { hasText: '只用数字' }).waitFor()
      await row.locator('input').fill(WORK_PHONE)
      await row.locator('.worker-save').click()
      await row.locator('.contacts-worker-saved', { hasText: '已保存' }).waitFor()
      await shoot(staff, 'grid-contacts')
    })

    await step('the resident opens 我的网格 from the home page and finds the grid by position: workers, office, replies', async () => {
      await resident.goto(`${base}/#/pages/home/index`)
      const gate = resident.locator('.privacy-accept')
      await gate.waitFor({ timeout: 3000 }).catch(() => undefined)
      if (await gate.isVisible().catch(() => false)) {
        await gate.click()
        await resident.locator('.privacy-gate').waitFor({ state: 'detached' })
      }
      await visible(resident).locator('.home-tile', { hasText: '我的网格' }).click()
      await resident.waitForURL(/packages\/grid\/mine/)
      await visible(resident).locator('.locate-grid').click()
      const v = visible(resident)
      await v.locator('.grid-name', { hasText: located.grid.name }).waitFor()
      await v.locator('.worker-card').first().waitFor()
      await v.locator('.community-office', { hasText: '党群服务中心' }).waitFor()
      await v
        .locator('.worker-card', { hasText: workerName })
        .locator('.muted', { hasText: `工作电话 ${WORK_PHONE}` })
        .waitFor()
      const text = await v.textContent()
      if (/1[3-9]\d{9}/.test(text ?? '')) throw new Error('a mobile number is shown on 我的网格')
      await shoot(resident, 'my-grid')
    })

    await step('staff open 网格档案: the six blocks; a negative count is refused in plain words, a good one saved', async () => {
      await staff.goto(`${base}/#/packages/grid/profile/index?grid=${encodeURIComponent(gridCode)}`)
      await staff.reload()
      const v = visible(staff)
      for (const block of ['people', 'places', 'thing', 'situation', 'events', 'organisation']) await v.locator(`.block-${block}`).waitFor()
      await v.locator('.block-places', { hasText: PLACE_NAME }).waitFor()
      await shoot(staff, 'grid-profile')
      await v.locator('.block-events').scrollIntoViewIfNeeded()
      await shoot(staff, 'grid-profile-events')
      await v.locator('.block-organisation').scrollIntoViewIfNeeded()
      await shoot(staff, 'grid-profile-organisations')
      await v.locator('.edit-counts').click()
      run.checks?.expect?.(/status of 400 .*\/profile\/counts/)
      await v.locator('.input-count-lowIncome input').fill('-5')
      await v.locator('.save-counts').click()
      await v.locator('.block-people .form-notice', { hasText: '0 或正整数' }).waitFor()
      await shoot(staff, 'grid-profile-refused')
      await v.locator('.input-count-lowIncome input').fill('9')
      await v.locator('.save-counts').click()
      await v.locator('.block-people .form-notice', { hasText: '已保存' }).waitFor()
      await v.locator('.block-people .count-cell', { hasText: '低保户' }).locator('.count-value', { hasText: '9' }).waitFor()
    })
    code = await run.finish()
  } catch (err) {
    code = await run.finish(err)
    if (code) console.error(`--- last server output ---\n${server.output()}`)
  } finally {
    await server.stop()
  }
  process.exit(code)
}

main()
