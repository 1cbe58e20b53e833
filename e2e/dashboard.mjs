#!/usr/bin/env node
// The dashboards (数据看板) in a real Chromium against `npm start` in demo mode (or E2E_BASE_URL):
// residents file reports in three streets through the API and a grid worker accepts some; the
// district admin (demo persona) opens 数据看板 and sees all 18 streets side by side with charts, the
// trend and categories, the monthly ranking of the 18 streets, changes the ranking weights (audited),
// and opens a street's own dashboard. Screenshots: test-output/screenshots/dashboard-*.png.
import { api, browserRun, demoToken, log, startServer, visible } from './harness.mjs'

const POLICY_VERSION = '2026-11-01'
const CATEGORIES = ['sanitation', 'public_facilities', 'safety_hazard']

/** A point inside the first grid of the street's first community that contains its own centre. */
async function placeIn(base, streetCode) {
  for (const community of await api(base, `/api/territory/communities?streetCode=${streetCode}`)) {
    for (const grid of await api(base, `/api/territory/grids?communityCode=${community.code}`)) {
      const ring = grid.polygon.coordinates[0].slice(0, -1)
      const lng = ring.reduce((s, p) => s + p[0], 0) / ring.length
      const lat = ring.reduce((s, p) => s + p[1], 0) / ring.length
      const where = await api(base, `/api/territory/locate?lat=${lat}&lng=${lng}`).catch(() => null)
      if (where?.grid?.code === grid.code) return { lat, lng, grid, community }
    }
  }
  return null
}

async function fileReports(base, streets) {
  let n = 0
  const filed = []
  for (const street of streets) {
    const place = await placeIn(base, street.code)
    if (!place) continue
    const worker = await demoToken(base, { persona: 'grid_worker', gridCode: place.grid.code })
    for (let i = 0; i < 3 + filed.length; i++) {
      const token = await demoToken(base, { persona: 'resident', key: `e2e-dash-${Date.now().toString(36)}-${n++}` })
      const auth = { authorization: `Bearer ${token}` }
      await api(base, '/api/me/consent', { method: 'POST', headers: auth, body: JSON.stringify({ policyVersion: POLICY_VERSION, client: 'h5' }) })
      const ticket = await api(base, '/api/tickets', {
        method: 'POST',
        headers: { ...auth, 'idempotency-key': crypto.randomUUID() },
        body: JSON.stringify({
          kind: 'report',
          category: CATEGORIES[i % CATEGORIES.length],
          description: `看板测试：${street.name}第${i + 1}件，楼道杂物堆积需要清理`,
          location: { lat: place.lat, lng: place.lng },
          address: `${place.community.name}${i + 1}号楼`
        })
      })
      const fire = (who, body) => api(base, `/api/tickets/${ticket.id}/transitions`, { method: 'POST', headers: { authorization: `Bearer ${who}` }, body: JSON.stringify(body) })
      if (i % 2 === 0) await fire(worker, { event: 'accept' })
      if (i === 0) {
        // One resolved and rated per street, 5, 4 and 2 stars: the streets' scores differ.
        await fire(worker, { event: 'reply', note: '已安排保洁清理' })
        await fire(worker, { event: 'resolve' })
        await fire(token, { event: 'rate', rating: { score: [5, 4, 2][filed.length] ?? 3 } })
      }
    }
    filed.push(street.code)
  }
  return filed
}

/** How many pixels of a chart's canvas are painted, waiting up to 5 s for it to draw (0 for a chart that never drew). */
async function painted(page, id) {
  let ink = 0
  for (let i = 0; i < 25 && ink < 500; i++) {
    await page.waitForTimeout(200)
    ink = await page.evaluate((canvasId) => {
      const c = document.querySelector(`canvas[canvas-id="${canvasId}"]`)
      if (!c || !c.width) return 0
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
      let n = 0
      for (let j = 3; j < data.length; j += 4) if (data[j] > 0) n++
      return n
    }, id)
  }
  return ink
}

async function main() {
  const server = await startServer()
  const { base } = server
  const run = await browserRun({ prefix: 'dashboard' })
  const { newPhone, shoot, step } = run
  let code = 1
  try {
    const streets = await api(base, '/api/territory/streets')
    log(`${streets.length} streets in the demo territory`)
    const filed = await fileReports(base, streets.slice(0, 3))
    log(`reports filed in ${filed.join(', ')}`)
    const admin = await newPhone()
    const page = admin

    await step('the district admin signs in (demo persona) and opens 数据看板: the district with its rates', async () => {
      const q = new URLSearchParams({ persona: 'district_admin', redirect: '/packages/staff/stats/index' })
      await page.goto(`${base}/#/packages/auth/sign-in/index?${q}`)
      await visible(page).locator('.demo-sign-in').click()
      await page.waitForURL(/packages\/staff\/stats/)
      const v = visible(page)
      await v.locator('.stats-unit-name', { hasText: '平城区' }).waitFor()
      const received = Number(await v.locator('.stats-received').innerText())
      if (received < filed.length * 3) throw new Error(`the district shows ${received} received, expected at least ${filed.length * 3}`)
      await shoot(page, 'district')
    })

    await step('all 18 streets stand side by side, with a bar chart drawn on its canvas', async () => {
      const v = visible(page)
      const rows = v.locator('.stats-children .stats-tr:not(.stats-th)')
      await rows.first().waitFor()
      const count = await rows.count()
      if (count !== streets.length || count !== 18) throw new Error(`${count} street rows, expected 18 (territory has ${streets.length})`)
      for (const code of filed) await v.locator(`.stats-children .stats-row-${code}`).waitFor()
      const drawn = await painted(page, 'chart-children')
      if (drawn < 500) throw new Error(`the streets chart looks empty (${drawn} painted pixels)`)
      await v.locator('.stats-children').scrollIntoViewIfNeeded()
      await shoot(page, 'streets-side-by-side')
    })

    await step('the trend (by day, then by week) and the categories are charted', async () => {
      const v = visible(page)
      await v.locator('.stats-trend').scrollIntoViewIfNeeded()
      await v.locator('.stats-categories .stats-category').first().waitFor()
      await shoot(page, 'trend-by-day')
      await v.locator('.stats-trend [role="radio"]', { hasText: '按周' }).click()
      await page.waitForTimeout(800)
      await v.locator('.stats-trend').scrollIntoViewIfNeeded()
      await shoot(page, 'trend-by-week')
    })

    await step('the monthly ranking lists the 18 streets, the ones with tickets ranked first', async () => {
      const v = visible(page)
      const rows = v.locator('.stats-ranking-row')
      await rows.first().waitFor()
      const n = await rows.count()
      if (n !== 18) throw new Error(`${n} ranking rows, expected 18`)
      const firstRank = await rows.first().locator('.stats-rank').innerText()
      if (firstRank.trim() !== '1') throw new Error(`the first row has rank ${firstRank}`)
      // The score bars draw one bar per ranked street, as wide as its score.
      const bars = await v.locator('.stats-score-bar').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().width))
      if (bars.length === 0 || bars.some((w) => !(w > 0))) throw new Error(`score bars not drawn: ${JSON.stringify(bars)}`)
      await v.locator('.stats-ranking .card-title').evaluate((el) => el.scrollIntoView({ block: 'start' }))
      await shoot(page, 'ranking')
    })

    await step('the district admin sets the weights to 50/25/25 and the formula follows', async () => {
      const v = visible(page)
      await v.locator('.input-weight-response input').fill('50')
      await v.locator('.input-weight-resolution input').fill('25')
      await v.locator('.input-weight-satisfaction input').fill('25')
      await v.locator('.stats-save-weights').click()
      await v.locator('.stats-weights-text', { hasText: '响应率×50%' }).waitFor()
      await shoot(page, 'weights-saved')
      const token = await demoToken(base, { persona: 'district_admin' })
      const audit = await api(base, '/api/admin/audit?action=stats.weights_update', { headers: { authorization: `Bearer ${token}` } })
      if (!audit.items?.length) throw new Error('no audit row for the weights change')
    })

    await step('a tap on a street opens its own dashboard with its communities', async () => {
      const v = visible(page)
      await v.locator('.stats-children').scrollIntoViewIfNeeded()
      await v.locator(`.stats-children .stats-row-${filed[0]} .stats-link`).click()
      await v.locator('.stats-unit-name', { hasText: streets.find((s) => s.code === filed[0]).name }).waitFor()
      await v.locator('.stats-children .card-title', { hasText: '各社区对比' }).waitFor()
      await shoot(page, 'street')
      await v.locator('.stats-up').click()
      await v.locator('.stats-unit-name', { hasText: '平城区' }).waitFor()
    })
    code = await run.finish()
  } catch (err) {
    code = await run.finish(err)
  } finally {
    await server.stop()
  }
  process.exit(code)
}

main()
