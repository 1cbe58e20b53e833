#!/usr/bin/env node
// 12345-grade handling in a real Chromium against `npm start` in demo mode (or E2E_BASE_URL): a
// resident's report (filed through the API) is accepted by its grid worker, who asks for an
// extension (延期) on the ticket page; the community's staff, the level above, find it in their inbox
// under 只看待我审批的延期 and approve it with the new deadline; the worker then suspends the ticket (挂起: the clock stands) and
// resumes it (the deadline moves on). Every step shows in the card and the timeline.
// Screenshots: test-output/screenshots/handling-*.png. Exits non-zero on a failed step. docs/handling.md.
import { api, browserRun, demoToken, log, startServer, visible } from './harness.mjs'

const POLICY_VERSION = '2026-11-01'

/** A point inside the first grid of the first street's communities that contains its own centre. */
async function placeIn(base) {
  const [street] = await api(base, '/api/territory/streets')
  for (const community of await api(base, `/api/territory/communities?streetCode=${street.code}`)) {
    for (const grid of await api(base, `/api/territory/grids?communityCode=${community.code}`)) {
      const ring = grid.polygon.coordinates[0].slice(0, -1)
      const lng = ring.reduce((s, p) => s + p[0], 0) / ring.length
      const lat = ring.reduce((s, p) => s + p[1], 0) / ring.length
      const where = await api(base, `/api/territory/locate?lat=${lat}&lng=${lng}`).catch(() => null)
      if (where?.grid?.code === grid.code) return { lat, lng, street, community, grid }
    }
  }
  throw new Error('no grid whose centre lies inside it')
}

/** Files a report as a fresh resident and makes sure the demo grid worker of its grid holds it. */
async function reportHeldBy(base, place) {
  const resident = await demoToken(base, { persona: 'resident', key: `e2e-handling-${Date.now().toString(36)}` })
  const auth = { authorization: `Bearer ${resident}` }
  await api(base, '/api/me/consent', { method: 'POST', headers: auth, body: JSON.stringify({ policyVersion: POLICY_VERSION, client: 'h5' }) })
  const ticket = await api(base, '/api/tickets', {
    method: 'POST',
    headers: { ...auth, 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify({
      kind: 'report',
      category: 'public_facilities',
      description: '小区东门的路灯坏了一周，晚上出入很不安全',
      location: { lat: place.lat, lng: place.lng },
      address: `${place.community.name}东门`
    })
  })
  const worker = await api(base, '/api/auth/demo', { method: 'POST', body: JSON.stringify({ persona: 'grid_worker', gridCode: place.grid.code }) })
  if (ticket.assignee?.id !== worker.user.id) {
    // Routing chose another worker of the grid: the community hands it to the demo one by name.
    const staff = await demoToken(base, { persona: 'community_staff', communityCode: place.community.code })
    await api(base, `/api/tickets/${ticket.id}/transitions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${staff}` },
      body: JSON.stringify({ event: 'transfer', target: { assigneeId: worker.user.id }, note: '交给本网格网格员' })
    })
  }
  return ticket
}

/** Waits for the success toast of the last step to go, so the screenshot shows the page under it. */
async function toastGone(page) {
  await page
    .locator('.taro__toast')
    .first()
    .waitFor({ state: 'hidden', timeout: 4000 })
    .catch(() => undefined)
  await page.waitForTimeout(1600)
}

async function main() {
  const server = await startServer()
  const { base } = server
  const run = await browserRun({ prefix: 'handling' })
  const { newPhone, shoot, step } = run
  let code = 1
  try {
    const place = await placeIn(base)
    log(`grid ${place.grid.code} (${place.community.name})`)
    const ticket = await reportHeldBy(base, place)
    const detail = `/packages/staff/detail/index?id=${ticket.id}`
    const signIn = (persona, extra) =>
      `${base}/#/packages/auth/sign-in/index?${new URLSearchParams({ persona, streetCode: place.street.code, communityCode: place.community.code, redirect: detail, ...extra })}`
    const worker = await newPhone()
    const staff = await newPhone()

    await step('the grid worker signs in, opens the ticket and accepts it', async () => {
      await worker.goto(signIn('grid_worker', { gridCode: place.grid.code }))
      await visible(worker).locator('.picker-grid', { hasText: place.grid.name }).waitFor()
      await visible(worker).locator('.demo-sign-in').click()
      await worker.waitForURL(/packages\/staff\/detail/)
      const v = visible(worker)
      await v.locator('.action-accept').click()
      await v.locator('.ticket-state', { hasText: '已签收' }).waitFor()
      await v.locator('.action-extend_request').waitFor()
      await shoot(worker, 'worker-accepted')
    })

    await step('the worker asks for a 3-day extension with a reason (申请延期)', async () => {
      const v = visible(worker)
      await v.locator('.action-extend_request').click()
      await v.locator('.choice-extension-days-3').click()
      await v.locator('.extension-preview').waitFor()
      await v.locator('.action-note textarea').fill('需要更换灯杆，配件三天后到货')
      await shoot(worker, 'extension-form', { fullPage: true })
      await v.locator('.action-confirm').click()
      await v.locator('.handling-status', { hasText: '延期申请待' }).waitFor()
      await v.locator('.timeline-event', { hasText: '申请延期' }).waitFor()
      if (await v.locator('.action-extend_request').count()) throw new Error('a second extension request is still offered')
      await toastGone(worker)
      await shoot(worker, 'extension-requested')
    })

    await step('the community staff (the level above) find it under 只看待我审批的延期, and approve it', async () => {
      await staff.goto(signIn('community_staff', { redirect: '/packages/staff/inbox/index' }))
      await visible(staff).locator('.demo-sign-in').click()
      await staff.waitForURL(/packages\/staff\/inbox/)
      await visible(staff).locator('.toApprove-switch').click()
      const card = visible(staff).locator(`.ticket-card[data-ticket-id="${ticket.id}"]`)
      await card.waitFor()
      const listed = await visible(staff).locator('.ticket-card').count()
      log(`待我审批的延期: ${listed} ticket(s)`)
      await shoot(staff, 'approver-inbox')
      await card.click()
      await staff.waitForURL(/packages\/staff\/detail/)
      const v = visible(staff)
      await v.locator('.handling-status', { hasText: '延期申请待' }).waitFor()
      await v.locator('.action-extend_approve').click()
      await v.locator('.extension-asked').waitFor()
      await shoot(staff, 'approver-form', { fullPage: true })
      await v.locator('.action-note textarea').fill('同意延期，请按时办结')
      await v.locator('.action-confirm').click()
      await v.locator('.handling-status', { hasText: '已批准延期' }).waitFor()
      await v.locator('.timeline-note', { hasText: '批准延期，办结时限改为' }).waitFor()
      await toastGone(staff)
      await shoot(staff, 'extension-approved')
      const token = await demoToken(base, { persona: 'community_staff', communityCode: place.community.code })
      const now = await api(base, `/api/tickets/${ticket.id}`, { headers: { authorization: `Bearer ${token}` } })
      const moved = new Date(now.resolveDueAt).getTime() - new Date(ticket.resolveDueAt).getTime()
      if (Math.round(moved / 86_400_000) !== 3) throw new Error(`the resolve deadline moved by ${moved} ms, expected 3 days`)
    })

    await step('the worker suspends the ticket while waiting for the resident (挂起): the clock stands', async () => {
      await worker.reload()
      const v = visible(worker)
      await v.locator('.handling-status', { hasText: '已批准延期' }).waitFor()
      await v.locator('.action-suspend').click()
      await v.locator('.action-note textarea').fill('居民外出，约定周末上门查看')
      await v.locator('.action-confirm').click()
      await v.locator('.ticket-state', { hasText: '已挂起' }).waitFor()
      await v.locator('.handling-status', { hasText: '计时暂停' }).waitFor()
      await v.locator('.ticket-summary-due', { hasText: '已挂起，计时暂停' }).waitFor()
      await toastGone(worker)
      await shoot(worker, 'suspended')
    })

    await step('the worker resumes (恢复办理): the timeline says how long it stood and the new deadline', async () => {
      const v = visible(worker)
      await v.locator('.action-resume').click()
      await v.locator('.ticket-state', { hasText: '处理中' }).waitFor()
      const note = v.locator('.timeline-note', { hasText: '恢复办理，挂起' })
      await note.waitFor()
      const text = await note.innerText()
      if (text.includes('居民外出')) throw new Error(`the resumption repeats the suspension's reason: ${text}`)
      await toastGone(worker)
      await shoot(worker, 'resumed', { fullPage: true })
    })
    code = await run.finish()
  } catch (err) {
    code = await run.finish(err)
    if (server.output()) console.error(`--- server output ---\n${server.output()}`)
  } finally {
    await server.stop()
  }
  process.exit(code)
}

await main()
