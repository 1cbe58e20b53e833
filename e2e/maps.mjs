#!/usr/bin/env node
// Maps in a real Chromium against `npm start` (demo mode) or E2E_BASE_URL (docs/maps.md): a resident
// starts a report at their GPS position, opens the map, moves it with the arrow keys and a drag until
// the pin is over a neighbouring grid, and the filed ticket lands in the grid under the pin; the grid
// worker of that grid sees it on 工单地图 (and only their grid's tickets) and opens it from its marker.
// The tile source is set to an unreachable host on purpose: the map must still work on the grid layer.
// Screenshots go to test-output/screenshots/maps-*.png. Exits non-zero on a failed step.
import { gzipSync } from 'node:zlib'
import { NAV_SETTLE_MS, api, browserRun, demoToken, freePort, log, pickOption, startServer, visible } from './harness.mjs'

/** Tiles that can never load (a free port nothing listens on): the map falls back to the grid layer. */
const DEAD_TILE_PORT = await freePort()
if (!process.env.E2E_BASE_URL) {
  process.env.MAP_TILES = 'custom'
  process.env.MAP_TILE_URL = `https://127.0.0.1:${DEAD_TILE_PORT}/tiles/{z}/{x}/{y}.png`
  process.env.MAP_TILE_ATTRIBUTION = 'unreachable test tiles'
}

/** The privacy notice version residents agree to (shared POLICY_VERSION). */
const POLICY_VERSION = '2026-11-01'
const YONGHE = { streetCode: '140213066', communityCode: '140213066001', gps: { lat: 40.0575, lng: 113.2943 } }
/** The zoom the map opens at around a known point (leaflet-map.ts) and the arrow keys' step (keyboardPanDelta). */
const START_ZOOM = 16
const KEY_PAN_PX = 60

/** Web Mercator pixel coordinates at a zoom, as Leaflet computes them. */
function project({ lat, lng }, zoom) {
  const scale = 256 * 2 ** zoom
  const sin = Math.sin((lat * Math.PI) / 180)
  return { x: ((lng + 180) / 360) * scale, y: (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * scale }
}

/** A point well inside a grid: the mean of its ring's corners, checked with the server's locate. */
async function interiorPoint(base, feature) {
  const ring = feature.geometry.coordinates[0].slice(0, -1)
  const lng = ring.reduce((s, p) => s + p[0], 0) / ring.length
  const lat = ring.reduce((s, p) => s + p[1], 0) / ring.length
  const where = await api(base, `/api/territory/locate?lat=${lat}&lng=${lng}`)
  return where.grid.code === feature.properties.code ? { lat, lng } : null
}

async function main() {
  const server = await startServer()
  const { base } = server
  const run = await browserRun({ prefix: 'maps' })
  const { newPhone, shoot, step } = run
  // The unreachable tile host is provoked on purpose (see above): each step that shows a map declares its refused loads.
  const expectDeadTiles = () => run.checks?.expect?.(new RegExp(`127\\.0\\.0\\.1:${DEAD_TILE_PORT}|/tiles/\\d+/\\d+/\\d+\\.png|ERR_CONNECTION_REFUSED`))
  let code = 1
  try {
    const start = await api(base, `/api/territory/locate?lat=${YONGHE.gps.lat}&lng=${YONGHE.gps.lng}`)
    const layer = await api(base, `/api/map/grids?communityCode=${YONGHE.communityCode}`)
    if (layer.coordSystem !== 'wgs84') throw new Error(`the grid layer came in ${layer.coordSystem}`)
    // The target: the grid of the community whose middle is nearest to the GPS point, other than the GPS point's own.
    let target = null
    let best = Infinity
    for (const f of layer.features) {
      if (f.properties.code === start.grid.code) continue
      const p = await interiorPoint(base, f)
      if (!p) continue
      const d = Math.hypot(p.lat - YONGHE.gps.lat, (p.lng - YONGHE.gps.lng) * Math.cos((40 * Math.PI) / 180))
      if (d < best) {
        best = d
        target = { code: f.properties.code, name: f.properties.name, point: p }
      }
    }
    if (!target) throw new Error('no second grid with a usable middle in 永和社区')
    // A figure, not a check: what the H5 map downloads for the whole district's grid layer.
    const district = await (await fetch(`${base}/api/map/grids`)).text()
    const districtGrids = JSON.parse(district).features.length
    log(`grid layer of the district: ${JSON.parse(district).features.length} grids, ${(district.length / 1024).toFixed(0)} KB JSON, ${(gzipSync(district).length / 1024).toFixed(0)} KB gzipped`)
    log(`GPS in ${start.grid.name} (${start.grid.code}); the pin goes to ${target.name} (${target.code}) at ${target.point.lat.toFixed(5)}, ${target.point.lng.toFixed(5)}`)

    const resident = await newPhone({ permissions: ['geolocation'], geolocation: { latitude: YONGHE.gps.lat, longitude: YONGHE.gps.lng, accuracy: 20 } })
    let ticketId = ''
    let ticketNumber = ''

    await step('resident signs in and opens 随手拍 with a category and a description', async () => {
      await resident.goto(`${base}/#/pages/home/index`)
      await resident.locator('.privacy-accept').click()
      await resident.locator('.privacy-gate').waitFor({ state: 'detached' })
      const q = new URLSearchParams({ persona: 'resident', key: `e2e-maps-${Date.now().toString(36)}`, redirect: '/packages/report/new/index' })
      await resident.goto(`${base}/#/packages/auth/sign-in/index?${q}`)
      await visible(resident).locator('.demo-sign-in').click()
      await resident.waitForURL(/packages\/report\/new/)
      // The category: a native <select> behind the picker's face (components/option-picker.tsx), or Taro's picker in older builds.
      await visible(resident).locator('.category-picker').waitFor()
      const native = visible(resident).locator('select.option-picker-native').first()
      if (await native.count()) await native.selectOption({ index: 1 })
      else await pickOption(resident, '.category-picker')
      await visible(resident).locator('.description-input textarea').fill(`井盖松动，踩上去会响，晚上看不清。（e2e 地图选点 ${new Date().toISOString()}）`)
    })

    await step('the map opens at the GPS point (its grid named) with the grid layer, though the tiles are unreachable', async () => {
      expectDeadTiles()
      const v = visible(resident)
      await v.locator('.map-pick').click()
      await v.locator('.location-label', { hasText: start.grid.name }).waitFor()
      await v.locator('.place-map-canvas.leaflet-container').waitFor()
      await v.locator('.place-map-canvas path.leaflet-interactive').first().waitFor({ state: 'attached' })
      await v.locator('.place-map-tiles-failed').waitFor()
      // The report map outlines every grid of the district (a point may be anywhere in it).
      const polygons = await v.locator('.place-map-canvas path.leaflet-interactive').count()
      if (polygons !== districtGrids) throw new Error(`the map drew ${polygons} grid outlines, the district has ${districtGrids}`)
      await v.locator('.place-map').scrollIntoViewIfNeeded()
      await shoot(resident, 'map-at-gps')
    })

    await step('resident moves the map with the arrow keys, then drags it, until the pin is over the neighbouring grid', async () => {
      expectDeadTiles()
      const v = visible(resident)
      const canvas = v.locator('.place-map-canvas')
      const from = project(YONGHE.gps, START_ZOOM)
      const to = project(target.point, START_ZOOM)
      let dx = Math.round(to.x - from.x)
      let dy = Math.round(to.y - from.y)
      // Keyboard first: focus the map, each arrow press moves it 60 px.
      await canvas.focus()
      const keysX = Math.trunc(dx / KEY_PAN_PX)
      const keysY = Math.trunc(dy / KEY_PAN_PX)
      for (let i = 0; i < Math.abs(keysX); i++) {
        await resident.keyboard.press(keysX > 0 ? 'ArrowRight' : 'ArrowLeft')
        await resident.waitForTimeout(350)
      }
      for (let i = 0; i < Math.abs(keysY); i++) {
        await resident.keyboard.press(keysY > 0 ? 'ArrowDown' : 'ArrowUp')
        await resident.waitForTimeout(350)
      }
      dx -= keysX * KEY_PAN_PX
      dy -= keysY * KEY_PAN_PX
      // Then the rest with a drag: the map moves against the finger.
      const box = await canvas.boundingBox()
      const cx = box.x + box.width / 2
      const cy = box.y + box.height / 2
      await resident.mouse.move(cx, cy)
      await resident.mouse.down()
      await resident.mouse.move(cx - dx / 2, cy - dy / 2, { steps: 5 })
      await resident.mouse.move(cx - dx, cy - dy, { steps: 5 })
      await resident.waitForTimeout(200)
      await resident.mouse.up()
      log(`moved ${keysX * KEY_PAN_PX + dx} px east, ${keysY * KEY_PAN_PX + dy} px south (${Math.abs(keysX) + Math.abs(keysY)} arrow presses)`)
      await v.locator('.location-label', { hasText: target.name }).waitFor()
      await v.locator('.place-map').scrollIntoViewIfNeeded()
      await shoot(resident, 'pin-on-target-grid')
    })

    await step('resident submits; the ticket lands in the grid under the pin', async () => {
      expectDeadTiles()
      await visible(resident).locator('.report-submit').click()
      await resident.waitForURL(/packages\/ticket\/detail\/index\?id=/)
      ticketId = new URL(resident.url().replace('#/', '')).searchParams.get('id') ?? ''
      // The session as the app keeps it in localStorage (Taro wraps values as {data: "<json>"}).
      const raw = JSON.parse((await resident.evaluate(() => window.localStorage.getItem('palm.session'))) ?? 'null')
      const session = raw && typeof raw.data === 'string' ? JSON.parse(raw.data) : (raw?.data ?? raw)
      const token = session?.accessToken
      const ticket = await api(base, `/api/tickets/${ticketId}`, { headers: { authorization: `Bearer ${token}` } })
      ticketNumber = ticket.number
      if (ticket.grid?.code !== target.code) throw new Error(`the ticket is in grid ${ticket.grid?.code}, the pin was over ${target.code}`)
      if (ticket.location?.coordSystem !== 'wgs84') throw new Error('the stored point does not say it is WGS-84')
      const under = await api(base, `/api/territory/locate?lat=${ticket.location.lat}&lng=${ticket.location.lng}`)
      if (under.grid.code !== target.code) throw new Error(`the stored point lies in ${under.grid.code}`)
      await visible(resident).locator('.ticket-summary-text', { hasText: '井盖松动' }).waitFor()
      await shoot(resident, 'ticket-in-target-grid')
    })

    await step('the grid worker of that grid sees the ticket on 工单地图, and only tickets of the grid', async () => {
      expectDeadTiles()
      const worker = await newPhone()
      const q = new URLSearchParams({ persona: 'grid_worker', streetCode: YONGHE.streetCode, communityCode: YONGHE.communityCode, gridCode: target.code, redirect: '/packages/staff/map/index' })
      await worker.goto(`${base}/#/packages/auth/sign-in/index?${q}`)
      // The persona form names the grid once the pickers have loaded; a click before that is lost.
      await visible(worker).getByText(target.name).first().waitFor()
      await worker.waitForTimeout(NAV_SETTLE_MS)
      await visible(worker).locator('.demo-sign-in').click()
      await worker.waitForURL(/packages\/staff\/map/)
      const v = visible(worker)
      await v.locator('.place-map-canvas path.leaflet-interactive').first().waitFor({ state: 'attached' })
      const marker = v.locator(`.palm-marker[title^="${ticketNumber}"]`)
      await marker.waitFor()
      await v.locator('.staff-map-item', { hasText: ticketNumber }).waitFor()
      await shoot(worker, 'staff-map')
      const token = await demoToken(base, { persona: 'grid_worker', streetCode: YONGHE.streetCode, communityCode: YONGHE.communityCode, gridCode: target.code })
      const map = await api(base, '/api/map/tickets', { headers: { authorization: `Bearer ${token}` } })
      const strays = map.items.filter((t) => t.gridCode !== target.code)
      if (strays.length) throw new Error(`the worker's map shows tickets of other grids: ${strays.map((t) => t.gridCode).join(', ')}`)
      if (!map.items.some((t) => t.id === ticketId)) throw new Error('the new ticket is not on the worker’s map')
      // The marker opens the ticket, by keyboard (Enter on the focused marker).
      await marker.focus()
      await worker.keyboard.press('Enter')
      await worker.waitForURL(new RegExp(`packages/staff/detail/index\\?id=${ticketId}`))
      await shoot(worker, 'staff-ticket-from-map')
    })

    await step(
      'the district’s map clusters nearby tickets (eight more reports around the pin, one resident each)',
      async () => {
        expectDeadTiles()
        // Around the pin, in GCJ-02 as WeChat's map would send them: the grid layer asked in both systems gives the shift.
        const wgsCorner = layer.features.find((f) => f.properties.code === target.code).geometry.coordinates[0][0]
        const gcjCorner = (await api(base, `/api/map/grids?gridCodes=${target.code}&coordSystem=gcj02`)).features[0].geometry.coordinates[0][0]
        for (let i = 0; i < 8; i++) {
          const token = await demoToken(base, { persona: 'resident', key: `e2e-maps-cluster-${i}-${Date.now().toString(36)}` })
          const auth = { authorization: `Bearer ${token}` }
          await api(base, '/api/me/consent', { method: 'POST', headers: auth, body: JSON.stringify({ policyVersion: POLICY_VERSION, client: 'h5' }) })
          const point = { lat: target.point.lat + gcjCorner[1] - wgsCorner[1] + (i - 4) * 0.0002, lng: target.point.lng + gcjCorner[0] - wgsCorner[0] }
          await api(base, '/api/tickets', {
            method: 'POST',
            headers: { ...auth, 'idempotency-key': crypto.randomUUID() },
            body: JSON.stringify({ kind: 'report', category: 'sanitation', description: `地图聚合测试：垃圾桶满溢（e2e ${i}）`, location: { ...point, coordSystem: 'gcj02' } })
          })
        }
        const admin = await newPhone()
        const q = new URLSearchParams({ persona: 'district_admin', redirect: '/packages/staff/map/index' })
        await admin.goto(`${base}/#/packages/auth/sign-in/index?${q}`)
        await visible(admin).locator('.demo-sign-in').waitFor()
        await admin.waitForTimeout(NAV_SETTLE_MS)
        await visible(admin).locator('.demo-sign-in').click()
        await admin.waitForURL(/packages\/staff\/map/)
        const v = visible(admin)
        await v.locator('.place-map-canvas path.leaflet-interactive').first().waitFor({ state: 'attached' })
        await v.locator('.marker-cluster, .palm-marker').first().waitFor()
        const clusters = await v.locator('.marker-cluster').count()
        const listed = await v.locator('.staff-map-item').count()
        log(`district map: ${listed} tickets listed, ${clusters} clusters drawn`)
        if (listed < 9) throw new Error(`the district map lists ${listed} tickets, expected at least 9`)
        if (clusters < 1) throw new Error('nine tickets within a grid drew no cluster at district zoom')
        await shoot(admin, 'district-map')
      },
      { independent: true }
    )

    await step(
      '法律咨询: the resident sorts the stations by distance from their position, nearest first, each with 导航',
      async () => {
        await resident.goto(`${base}/#/packages/legal/stations/index`)
        const v = visible(resident)
        await v.locator('.station-card').first().waitFor()
        await v.locator('.stations-near').click()
        await v.locator('.station-distance').first().waitFor()
        const metres = (await v.locator('.station-distance').allTextContents()).map((t) => {
          const m = /([\d.]+)\s*(米|公里)/.exec(t)
          return m ? Number(m[1]) * (m[2] === '公里' ? 1000 : 1) : NaN
        })
        if (metres.some(Number.isNaN) || metres.some((d, i) => i > 0 && d < (metres[i - 1] ?? 0))) throw new Error(`stations are not nearest first: ${metres.join(', ')}`)
        const withPoint = await v.locator('.station-navigate').count()
        if (withPoint !== metres.length) throw new Error(`${metres.length} stations have a distance but ${withPoint} offer 导航`)
        log(`stations by distance: ${metres.slice(0, 5).join(' m, ')} m …`)
        await shoot(resident, 'stations-by-distance')
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
