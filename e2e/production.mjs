#!/usr/bin/env node
// The production path end to end in a real Chromium (issue 8, point 7): NODE_ENV=production on
// MariaDB, an EMPTY database (palm_e2e_prod_<random>, dropped at the end), the project's fake WeChat
// API as the only outside party, no demo data and no persona sign-in.
//   1. `npm run staff -- create --role district_admin` makes the first admin (password + authenticator)
//   2. the admin signs in through the sign-in page with password and TOTP (and sets a new password)
//   3. imports the territory file (the upload page: dry run, then 导入; the CLI if the page is missing)
//   4. creates a street admin, a community staff member and a grid worker through the accounts pages,
//      reading each one-time password from the dialog
//   5. the grid worker signs in, changes the one-time password on the forced page, switches 在岗 on
//   6. a resident signs in through WeChat's H5 OAuth (snsapi_base; the one navigation to
//      open.weixin.qq.com is answered by the test with WeChat's redirect and a code the fake API
//      accepts) and reports a problem at a point inside the worker's grid
//   7. the ticket reaches that worker (inbox, and the API: assignee and the routing reason)
//   8. the worker accepts, replies and resolves   9. the resident sees the reply in the timeline
//  10. the admin opens 管理 → 审计日志: every staff action of the story is there (page and API), and
//      `npm run audit -- verify` finds the chain intact.
// Screenshots: test-output/screenshots/production-*.png. Every wait is bounded; every process runs in
// its own process group and is stopped at the end, also on failure. Exits non-zero naming the step.
// E2E_H5_DIR=miniapp/dist/h5-<you> serves a private H5 build instead of miniapp/dist/h5.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { URI } from 'otpauth'
import { api, browserRun, freePort, log, pickOption, root, shotsDir, visible, waitForReady } from './harness.mjs'
import { freshDatabase, h5Build, mariadbUrl, reachable, runCommand, startProcess, stopAllProcesses, waitForPort } from './production-env.mjs'

const TERRITORY_FILE = process.env.E2E_TERRITORY_FILE || path.join(root, 'server/src/modules/territory/fixtures/sample-territory.geojson')
const RUN_ID = randomBytes(3).toString('hex')
const ADMIN = { username: `e2e.admin.${RUN_ID}`, name: '区综治中心值班长', newPassword: `Pc-admin-${randomBytes(6).toString('hex')}` }
const STREET_ADMIN = { username: `e2e.street.${RUN_ID}`, name: '街道综治专干', phone: '13900001111' }
const COMMUNITY_STAFF = { username: `e2e.community.${RUN_ID}`, name: '社区两委委员', phone: '13900002222' }
const WORKER = { username: `e2e.worker.${RUN_ID}`, name: '网格员老王', phone: '13900003333', newPassword: `Pc-grid-${randomBytes(6).toString('hex')}` }
const RESIDENT_CODE = `ok-e2e-prod-resident-${RUN_ID}`
const DESCRIPTION = `小区东门口的下水井盖松动了，踩上去会翻，晚上很危险。（e2e ${new Date().toISOString()}）`
const REPLY = '已安排维修人员加固井盖，并设置了警示标志。'
const WAIT_MS = 20_000

// ── small helpers ─────────────────────────────────────────────────────────────

/** A text field by its accessible name (the pages set aria-label on the native input), else by its visible label. */
function field(scope, label) {
  const byName = scope.locator(`input[aria-label="${label}"], textarea[aria-label="${label}"]`)
  const exact = new RegExp(`^\\s*${label}\\s*\\*?\\s*$`)
  const byLabel = scope.locator('.field', { has: scope.page().locator('.field-label', { hasText: exact }) }).locator('input, textarea')
  return byName.or(byLabel).first()
}

/** A button by its text (Taro renders <taro-button-core>; role=button when the page sets it). */
function button(scope, text) {
  return scope.locator('taro-button-core, button, [role="button"]', { hasText: text }).first()
}

/** The session the app keeps in localStorage (Taro wraps values as {data}). */
async function sessionOf(page) {
  const raw = await page.evaluate(() => window.localStorage.getItem('palm.session'))
  if (!raw) return undefined
  const parsed = JSON.parse(raw)
  return parsed && typeof parsed === 'object' && 'data' in parsed ? (typeof parsed.data === 'string' ? JSON.parse(parsed.data) : parsed.data) : parsed
}

async function waitForSession(page, what) {
  const deadline = Date.now() + WAIT_MS
  for (;;) {
    const s = await sessionOf(page)
    if (s?.accessToken && !s.user?.mustChangePassword) return s
    if (Date.now() > deadline) throw new Error(`${what}: no session in the app after ${WAIT_MS / 1000} s (url ${page.url()})`)
    await page.waitForTimeout(300)
  }
}

/** The first of several outcomes that shows up (name → locator), bounded. */
async function firstOf(page, outcomes, timeout = WAIT_MS) {
  const deadline = Date.now() + timeout
  for (;;) {
    for (const [name, locator] of Object.entries(outcomes)) if (await locator.isVisible().catch(() => false)) return name
    if (Date.now() > deadline) throw new Error(`none of ${Object.keys(outcomes).join(' / ')} appeared within ${timeout / 1000} s (url ${page.url()})`)
    await page.waitForTimeout(250)
  }
}

/** Authenticator codes: each 30-second step is accepted once, so a second sign-in waits for the next one. */
function authenticator(uri) {
  const totp = URI.parse(uri)
  let lastStep = -1
  return async () => {
    let step = Math.floor(Date.now() / 1000 / totp.period)
    if (step <= lastStep) {
      await new Promise((r) => setTimeout(r, (lastStep + 1) * totp.period * 1000 - Date.now() + 200))
      step = Math.floor(Date.now() / 1000 / totp.period)
    }
    // Not in the last second of a step: the code must still be good when the server checks it.
    if ((Date.now() / 1000) % totp.period > totp.period - 1.5) {
      await new Promise((r) => setTimeout(r, 1800))
      step = Math.floor(Date.now() / 1000 / totp.period)
    }
    lastStep = step
    return totp.generate({ timestamp: step * totp.period * 1000 + 1 })
  }
}

/** A point inside `ring` (first polygon ring), tried against the server's locate until it answers the grid. */
function candidatePoints(ring) {
  const pts = ring.slice(0, -1)
  const lng = pts.reduce((s, p) => s + p[0], 0) / pts.length
  const lat = pts.reduce((s, p) => s + p[1], 0) / pts.length
  const out = [{ lat, lng }]
  // Towards each vertex, for concave grids whose average lies outside them.
  for (const [x, y] of pts) out.push({ lat: lat + (y - lat) * 0.5, lng: lng + (x - lng) * 0.5 })
  return out
}

/** The grid the story happens in: the first grid feature of the territory file, with its parents. */
function storyGrid(file) {
  const fc = JSON.parse(readFileSync(file, 'utf8'))
  const features = fc.features ?? []
  const level = (f) => f.properties?.level
  const grid = features.find((f) => level(f) === 'grid')
  if (!grid) throw new Error(`${file} has no feature with properties.level "grid"`)
  const parentCode = (f) => f.properties.parentCode ?? f.properties.parent_code ?? f.properties.parent
  const community = features.find((f) => level(f) === 'community' && f.properties.code === parentCode(grid))
  if (!community) throw new Error(`the community ${parentCode(grid)} of grid ${grid.properties.code} is not in ${file}`)
  const street = features.find((f) => level(f) === 'street' && f.properties.code === parentCode(community))
  if (!street) throw new Error(`the street ${parentCode(community)} of community ${community.properties.code} is not in ${file}`)
  const geometry = grid.geometry.type === 'MultiPolygon' ? grid.geometry.coordinates[0] : grid.geometry.coordinates
  return {
    grid: { code: grid.properties.code, name: grid.properties.name },
    community: { code: community.properties.code, name: community.properties.name },
    street: { code: street.properties.code, name: street.properties.name },
    points: candidatePoints(geometry[0])
  }
}

/**
 * Taps the tab bar item or the link whose text starts with `text` on the page in front, as a person
 * would; false when there is none (the caller then goes by address and the run reports it).
 */
async function tapLink(page, text) {
  const front = '.taro_page:not(.taro_page_shade)'
  const way = page.locator(`.weui-tabbar__item:visible, ${front} [role="link"]:visible, ${front} a:visible`, { hasText: new RegExp(`^\\s*${text}`) }).first()
  if (
    !(await way.waitFor({ timeout: 6000 }).then(
      () => true,
      () => false
    ))
  )
    return false
  await way.click()
  return true
}

async function authed(base, token, pathname, init = {}) {
  return api(base, pathname, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } })
}

// ── the run ───────────────────────────────────────────────────────────────────

async function main() {
  if (!(await reachable(mariadbUrl.hostname, mariadbUrl.port || 3306))) {
    console.error(`production e2e: MariaDB does not answer at ${mariadbUrl.host} (TEST_MARIADB_URL); this test needs it.`)
    process.exit(1)
  }
  mkdirSync(shotsDir, { recursive: true })
  for (const old of readdirSync(shotsDir, { withFileTypes: true }).filter((e) => e.isFile())) {
    if (old.name.startsWith('production-')) rmSync(path.join(shotsDir, old.name))
  }
  const run = await browserRun({ prefix: 'production' })
  const { shoot, step } = run
  /** A phone for one person; every answer ≥ 400 it gets is kept, to name the call when a step fails. */
  const failedCalls = []
  const outside = []
  const newPhone = async (who, extra) => {
    const page = await run.newPhone(extra)
    page.on('request', (req) => {
      const url = req.url()
      if (!/^(data|blob):/.test(url) && !url.startsWith(`${ctx.base}/`) && !url.startsWith('https://open.weixin.qq.com/')) outside.push(`${who}: ${url}`)
    })
    page.on('response', (res) => {
      if (res.status() < 400) return
      const call = `${who}: ${res.request().method()} ${res.url().replace(/^https?:\/\/[^/]+/, '')} → ${res.status()}`
      res.json().then(
        (b) => failedCalls.push(`${call} ${b?.code ?? ''}`),
        () => failedCalls.push(call)
      )
    })
    return page
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'palm-e2e-prod-'))
  let db
  let server
  let code = 1
  let place
  const ctx = {}
  try {
    // ── the surroundings ──────────────────────────────────────────────────────
    let env
    await step('setup: an empty MariaDB database, the fake WeChat API, the H5 build', async () => {
      db = await freshDatabase()
      log(`database ${db.name} (empty) on ${mariadbUrl.host}`)
      const wechatPort = await freePort()
      const wechat = {
        WECHAT_APPID: 'wx-e2e-prod-mini',
        WECHAT_SECRET: randomBytes(16).toString('hex'),
        WECHAT_WEB_APPID: 'wx-e2e-prod-web',
        WECHAT_WEB_SECRET: randomBytes(16).toString('hex'),
        WECHAT_API_BASE: `http://127.0.0.1:${wechatPort}`
      }
      const fake = startProcess('fake WeChat API', 'npm', ['run', 'fake-wechat', '-w', '@palm/server'], { ...wechat, FAKE_WECHAT_PORT: String(wechatPort) })
      ctx.fake = fake
      const port = await freePort()
      env = {
        ...wechat,
        NODE_ENV: 'production',
        DATABASE_URL: db.url,
        JWT_SECRET: randomBytes(36).toString('base64url'),
        DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: process.env.E2E_LOG_LEVEL || 'warn',
        JOBS: 'on',
        SEED_DEMO: '',
        H5_DIR: await h5Build()
      }
      ctx.base = `http://127.0.0.1:${port}`
      await waitForPort(wechatPort, fake)
      log(`fake WeChat API on ${wechat.WECHAT_API_BASE}; H5 from ${path.relative(root, env.H5_DIR)}`)
    })

    // ── 1. the first district admin, from the command line ────────────────────
    await step('1. the CLI creates the first district admin on the empty database (password + authenticator)', async () => {
      const out = await runCommand('npm run staff -- create', 'npm', ['run', 'staff', '--', 'create', '--role', 'district_admin', '--username', ADMIN.username, '--name', ADMIN.name], env)
      const password = out.match(/(?:One-time|Initial) password[^:]*:\s*(\S+)/)?.[1]
      const uri = out.match(/(otpauth:\/\/\S+)/)?.[1]
      if (!password) throw new Error(`the CLI printed no initial password:\n${out}`)
      if (!uri) throw new Error(`the CLI printed no authenticator (otpauth://) URI:\n${out}`)
      ADMIN.password = password
      ADMIN.totp = authenticator(uri)
      log(`district admin ${ADMIN.username} created; authenticator ${uri.replace(/secret=[^&]+/, 'secret=…')}`)
      server = startProcess('server', 'npm', ['start', '-w', '@palm/server'], env)
      await waitForReady(ctx.base, server.child)
      const meta = await api(ctx.base, '/api/meta')
      if (meta.demoMode !== false || meta.signIn.includes('demo')) throw new Error(`/api/meta says demo mode in production: ${JSON.stringify(meta)}`)
      if (meta.wechatWebAppId !== env.WECHAT_WEB_APPID) throw new Error(`/api/meta names web appid ${meta.wechatWebAppId}, expected ${env.WECHAT_WEB_APPID}`)
      const demo = await fetch(`${ctx.base}/api/auth/demo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ persona: 'resident' }) })
      if (demo.status !== 404) throw new Error(`the persona sign-in answers ${demo.status} in production (expected 404)`)
      const streets = await api(ctx.base, '/api/territory/streets')
      if (streets.length !== 0) throw new Error(`the fresh database already has ${streets.length} streets`)
      log(`server ready on ${ctx.base} (production, ${db.name}); meta ${JSON.stringify(meta)}`)
    })

    // ── 2. the admin signs in ─────────────────────────────────────────────────
    const admin = await newPhone('admin')
    await step('2. the district admin signs in with password and authenticator code, and sets a new password', async () => {
      await admin.goto(`${ctx.base}/#/packages/auth/sign-in/index`)
      const v = visible(admin)
      await field(v, '用户名').waitFor()
      if (await v.locator('.demo-sign-in, .persona-list').count()) throw new Error('the sign-in page offers demo personas in production')
      await field(v, '用户名').fill(ADMIN.username)
      await field(v, '密码').fill(ADMIN.password)
      await field(v, '动态验证码').fill(await ADMIN.totp())
      await shoot(admin, 'admin-sign-in')
      await button(v, '登录').click()
      const outcome = await firstOf(admin, {
        refused: v.locator('.sign-in-error, .field-error'),
        change: field(visible(admin), '新密码'),
        signedIn: admin.locator('.taro_page:not(.taro_page_shade) .page:not(.sign-in):not(.change-password)')
      })
      if (outcome === 'refused') throw new Error(`sign-in refused: ${await v.locator('.sign-in-error, .field-error').first().textContent()}`)
      if (outcome !== 'change') throw new Error("a first sign-in with the CLI's generated password was not sent to the password change page")
      const c = visible(admin)
      await field(c, '当前密码').fill(ADMIN.password)
      await field(c, '新密码').fill(ADMIN.newPassword)
      await field(c, '确认新密码').fill(ADMIN.newPassword)
      await shoot(admin, 'admin-change-password')
      await button(c, '修改密码').click()
      ctx.adminSession = await waitForSession(admin, 'district admin password change')
      ADMIN.password = ADMIN.newPassword
      if (ctx.adminSession.user.role !== 'district_admin') throw new Error(`signed in as ${ctx.adminSession.user.role}`)
      await admin.waitForURL((url) => !/change-password|sign-in/.test(url.href))
      await shoot(admin, 'admin-signed-in')
    })

    // ── 3. the territory ──────────────────────────────────────────────────────
    /** 我的 → 管理 (the admin hub), as the admin would tap it. */
    async function openHub() {
      if (/staff\/inbox/.test(admin.url())) {
        // Where sign-in leaves the admin: 管理 on the inbox, else 我的 → 管理.
        ctx.adminFoundHub = (await tapLink(admin, '管理')) || (await tapLink(admin, '我的'))
        if (!ctx.adminFoundHub) await admin.goto(`${ctx.base}/#/pages/me/index`)
      } else await admin.goto(`${ctx.base}/#/pages/me/index`)
      if (!/packages\/admin\/hub/.test(admin.url())) {
        await admin.waitForURL(/pages\/me\/index|packages\/admin\/hub/)
        if (/pages\/me\/index/.test(admin.url())) await visible(admin).locator('.row-admin').click()
      }
      await admin.waitForURL(/packages\/admin\/hub/)
      await visible(admin).locator('.admin-link').first().waitFor()
    }

    await step('3. the admin imports the territory file (upload page: dry run, then 导入)', async () => {
      if (!existsSync(TERRITORY_FILE)) throw new Error(`the territory file ${TERRITORY_FILE} is missing`)
      place = storyGrid(TERRITORY_FILE)
      await openHub()
      await shoot(admin, 'admin-hub')
      const link = visible(admin).locator('.admin-link-territory')
      const v = visible(admin)
      const fileInput = v.locator('input[type="file"]')
      let present = false
      if (await link.count()) {
        await link.click()
        await admin.waitForURL(/packages\/territory-admin\/import/)
        present = await fileInput.waitFor({ state: 'attached', timeout: 10_000 }).then(
          () => true,
          () => false
        )
      }
      if (present) {
        await fileInput.setInputFiles(TERRITORY_FILE)
        await v.locator('.territory-chosen-file').first().waitFor()
        await shoot(admin, 'territory-file-chosen')
        await button(v, '检查文件').click()
        const checked = v.locator('.territory-report[aria-label="检查结果"]')
        await checked.waitFor({ timeout: 60_000 })
        await shoot(admin, 'territory-dry-run', { fullPage: true })
        if (!(await checked.evaluate((e) => e.classList.contains('is-valid')))) throw new Error(`the dry run finds the sample file invalid: ${await checked.textContent()}`)
        await visible(admin).locator('.territory-write').click()
        const done = v.locator('.territory-report[aria-label="导入结果"]')
        await done.waitFor({ timeout: 60_000 })
        await shoot(admin, 'territory-imported', { fullPage: true })
        if (!(await done.evaluate((e) => e.classList.contains('is-valid')))) throw new Error(`the import did not write: ${await done.textContent()}`)
      } else {
        log('the territory upload page is not there: importing with npm run territory -- import')
        await shoot(admin, 'territory-page-missing')
        const out = await runCommand('npm run territory -- import', 'npm', ['run', 'territory', '--', 'import', TERRITORY_FILE], env, { timeoutMs: 180_000 })
        log(out.trim().split('\n').slice(-5).join(' | '))
      }
      // Every instance picks up a new territory within 30 s: the story's point must locate to the grid.
      const deadline = Date.now() + 45_000
      for (;;) {
        for (const p of place.points) {
          const res = await fetch(`${ctx.base}/api/territory/locate?lat=${p.lat}&lng=${p.lng}`)
          const where = res.ok ? await res.json() : undefined
          if (where?.grid?.code === place.grid.code) {
            place.point = p
            break
          }
        }
        if (place.point) break
        if (Date.now() > deadline) throw new Error(`no point of grid ${place.grid.code} locates to it within 45 s of the import`)
        await new Promise((r) => setTimeout(r, 2000))
      }
      log(`story grid ${place.grid.code} ${place.grid.name} (${place.community.name}, ${place.street.name}) at ${place.point.lat.toFixed(5)}, ${place.point.lng.toFixed(5)}`)
    })

    // ── 4. accounts ───────────────────────────────────────────────────────────
    /** 账号管理 → 新建账号 → the form → 创建账号; answers the one-time password read from the dialog. */
    async function createAccount(who, role, chooseScope) {
      await openHub()
      await visible(admin).locator('.admin-link-accounts').click()
      await admin.waitForURL(/packages\/admin\/accounts/)
      await visible(admin).locator('.account-new').click()
      await admin.waitForURL(/packages\/admin\/account\/index/)
      const v = visible(admin)
      await v.locator(`.choice-role-${role}`).click()
      await field(v, '用户名').fill(who.username)
      await field(v, '姓名').fill(who.name)
      await field(v, '手机号').fill(who.phone)
      await chooseScope(v)
      await shoot(admin, `account-form-${role}`, { fullPage: true })
      await button(v, '创建账号').click()
      const dialog = admin.locator('.secret-dialog').last()
      const outcome = await firstOf(admin, { dialog, refused: v.locator('.field-error, .form-notice') })
      if (outcome === 'refused') throw new Error(`creating ${role} was refused: ${(await v.locator('.field-error, .form-notice').allTextContents()).join(' / ')}`)
      const password = ((await dialog.locator('.secret-password').textContent()) ?? '').trim()
      if (!password) throw new Error(`no one-time password in the dialog: ${await dialog.textContent()}`)
      await shoot(admin, `account-created-${role}`)
      await button(dialog, '我已记下').click()
      await dialog.waitFor({ state: 'detached' })
      return password
    }

    await step('4. the admin creates a street admin, a community staff member and a grid worker of the imported grid', async () => {
      STREET_ADMIN.password = await createAccount(STREET_ADMIN, 'street_admin', async (v) => {
        await pickOption(admin, v.locator('.picker-streetCode'), place.street.name)
      })
      COMMUNITY_STAFF.password = await createAccount(COMMUNITY_STAFF, 'community_staff', async (v) => {
        await pickOption(admin, v.locator('.picker-street'), place.street.name)
        await pickOption(admin, v.locator('.picker-community'), place.community.name)
      })
      WORKER.password = await createAccount(WORKER, 'grid_worker', async (v) => {
        await pickOption(admin, v.locator('.picker-street'), place.street.name)
        await pickOption(admin, v.locator('.picker-community'), place.community.name)
        await pickOption(admin, v.locator('.picker-grid'), place.grid.name)
        await button(v, '添加网格').click()
        await v.locator('.grid-chip', { hasText: place.grid.name }).waitFor()
      })
      const list = await authed(ctx.base, ctx.adminSession.accessToken, `/api/admin/accounts?q=e2e.`)
      const byName = (u) => list.items.find((a) => a.username === u)
      const worker = byName(WORKER.username)
      if (!worker) throw new Error(`the grid worker ${WORKER.username} is not in the accounts list`)
      if (worker.gridCodes[0] !== place.grid.code) throw new Error(`the grid worker covers ${worker.gridCodes.join(',')}, expected ${place.grid.code}`)
      if (!worker.mustChangePassword) throw new Error('a new account does not have to change its one-time password')
      if (byName(STREET_ADMIN.username)?.streetCode !== place.street.code) throw new Error(`the street admin's street is ${byName(STREET_ADMIN.username)?.streetCode}`)
      if (byName(COMMUNITY_STAFF.username)?.communityCode !== place.community.code) throw new Error(`the community staff's community is ${byName(COMMUNITY_STAFF.username)?.communityCode}`)
      ctx.workerId = worker.id
      await openHub()
      await visible(admin).locator('.admin-link-accounts').click()
      const card = visible(admin).locator('.account-card', { hasText: WORKER.name })
      await card.waitFor()
      await card.scrollIntoViewIfNeeded()
      await shoot(admin, 'accounts-list')
    })

    // ── 5. the grid worker ────────────────────────────────────────────────────
    const worker = await newPhone('worker')
    await step('5. the grid worker signs in, changes the one-time password and goes on duty (在岗)', async () => {
      await worker.goto(`${ctx.base}/#/packages/auth/sign-in/index`)
      const v = visible(worker)
      // With the keyboard only, as COMMON.md asks of every form: type, Tab to the password, Enter.
      await field(v, '用户名').focus()
      await worker.keyboard.type(WORKER.username)
      await worker.keyboard.press('Tab')
      const focused = await worker.evaluate(() => document.activeElement?.getAttribute('aria-label'))
      if (focused !== '密码') throw new Error(`Tab from 用户名 lands on ${focused ?? 'an unnamed element'}, not on 密码`)
      await worker.keyboard.type(WORKER.password)
      await worker.keyboard.press('Enter')
      const c = visible(worker)
      await field(c, '新密码').waitFor()
      await field(c, '当前密码').fill(WORKER.password)
      await field(c, '新密码').fill(WORKER.newPassword)
      await field(c, '确认新密码').fill(WORKER.newPassword)
      await shoot(worker, 'worker-change-password')
      await button(c, '修改密码').click()
      ctx.workerSession = await waitForSession(worker, 'grid worker password change')
      await worker.waitForURL(/staff\/inbox/)
      ctx.workerFoundMe = await tapLink(worker, '我的')
      if (!ctx.workerFoundMe) await worker.goto(`${ctx.base}/#/pages/me/index`)
      await worker.waitForURL(/pages\/me\/index/)
      const me = visible(worker)
      const duty = me.locator('[aria-label="在岗"]').last()
      await duty.waitFor()
      await shoot(worker, 'worker-me-off-duty')
      // Off duty, a report at the story's point would go to the community queue (routing explain, nothing created).
      const [category] = await api(ctx.base, '/api/tickets/categories?kind=report')
      const explain = () => authed(ctx.base, ctx.adminSession.accessToken, '/api/routing/explain', { method: 'POST', body: JSON.stringify({ category: category.code, location: place.point }) })
      const before = await explain()
      if (before.assigneeId !== null || before.level !== 'community') throw new Error(`with nobody on duty routing already picks ${before.assigneeId} (${before.level}): ${before.reason}`)
      await duty.click()
      const deadline = Date.now() + WAIT_MS
      for (;;) {
        const s = await sessionOf(worker)
        const now = await authed(ctx.base, s.accessToken, '/api/me/duty')
        if (now.onDutyNow) break
        if (Date.now() > deadline) throw new Error(`the 在岗 switch did not put the worker on duty: ${JSON.stringify(now)}`)
        await worker.waitForTimeout(400)
      }
      const after = await explain()
      if (after.assigneeId !== ctx.workerId) throw new Error(`on duty, routing still picks ${after.assigneeId} (${after.level}): ${after.reason}`)
      await shoot(worker, 'worker-on-duty')
    })

    await step(
      "5'. staff reach 我的 (在岗, 管理) by tapping from the inbox sign-in leaves them on",
      async () => {
        const lost = [ctx.adminFoundHub === false ? 'the district admin' : '', ctx.workerFoundMe === false ? 'the grid worker' : ''].filter(Boolean)
        if (lost.length)
          throw new Error(`${lost.join(' and ')} found no tab bar or link to 我的 / 管理 on the inbox (H5 shows no tab bar there): 在岗 and 管理 are reachable only by typing an address`)
      },
      { independent: true }
    )

    // ── 6. the resident, through WeChat ───────────────────────────────────────
    const resident = await newPhone('resident', {
      userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36 MicroMessenger/8.0.50.2701(0x28003237) NetType/WIFI Language/zh_CN',
      permissions: ['geolocation'],
      geolocation: { latitude: place.point?.lat ?? 0, longitude: place.point?.lng ?? 0, accuracy: 20 }
    })
    // WeChat's authorisation page is not on this machine: answer that one navigation as WeChat does for
    // snsapi_base (no consent screen), a 302 back to redirect_uri with ?code=&state=.
    const oauthRequests = []
    await resident.route('https://open.weixin.qq.com/**', async (route) => {
      const url = new URL(route.request().url())
      oauthRequests.push(url)
      const back = new URL(url.searchParams.get('redirect_uri') ?? '')
      back.searchParams.set('code', RESIDENT_CODE)
      back.searchParams.set('state', url.searchParams.get('state') ?? '')
      await route.fulfill({ status: 302, headers: { location: back.href } })
    })
    await step("6a. a resident in WeChat's browser signs in through WeChat (snsapi_base)", async () => {
      await resident.context().setGeolocation({ latitude: place.point.lat, longitude: place.point.lng, accuracy: 20 })
      await resident.goto(`${ctx.base}/#/pages/home/index`)
      const gate = resident.locator('.privacy-accept')
      if (
        await gate.waitFor({ timeout: 8000 }).then(
          () => true,
          () => false
        )
      ) {
        await shoot(resident, 'resident-privacy-notice')
        await gate.click()
      }
      await resident.locator('.home-tile', { hasText: '随手拍' }).click()
      await resident.waitForURL(/packages\/auth\/sign-in|packages\/report\/new/)
      const v = visible(resident)
      const wechatButton = button(v, '微信')
      await wechatButton.waitFor()
      await shoot(resident, 'resident-sign-in')
      await wechatButton.click()
      ctx.residentSession = await waitForSession(resident, 'resident WeChat sign-in')
      const asked = oauthRequests[0]
      if (!asked) throw new Error("the app never went to WeChat's authorisation page")
      if (asked.searchParams.get('appid') !== env.WECHAT_WEB_APPID) throw new Error(`the app asked WeChat for appid ${asked.searchParams.get('appid')}, expected ${env.WECHAT_WEB_APPID}`)
      if (asked.searchParams.get('scope') !== 'snsapi_base') throw new Error(`the app asked for scope ${asked.searchParams.get('scope')}`)
      if (ctx.residentSession.user.role !== 'resident') throw new Error(`signed in as ${ctx.residentSession.user.role}`)
      if (new URL(resident.url()).searchParams.get('code')) throw new Error('the one-time OAuth code stayed in the address bar')
      ctx.continued = await resident.waitForURL(/packages\/report\/new/, { timeout: 5000 }).then(
        () => true,
        () => false
      )
      await shoot(resident, 'resident-signed-in')
    })

    await step(
      "6a'. back from WeChat, the resident goes on to the report form by itself (not left on the sign-in page)",
      async () => {
        if (!ctx.continued) throw new Error(`after WeChat's redirect the app stays on ${new URL(resident.url()).hash} with the sign-in buttons showing, though the resident is signed in`)
      },
      { independent: true }
    )

    await step("6b. the resident reports a problem at a point inside the worker's grid", async () => {
      if (!/packages\/report\/new/.test(resident.url())) {
        await resident.goto(`${ctx.base}/#/packages/report/new/index`)
      }
      const v = visible(resident)
      await v.locator('.category-picker').waitFor()
      await pickOption(resident, v.locator('.category-picker'))
      await v.locator('.description-input textarea').fill(DESCRIPTION)
      await v.locator('.locate-me').click()
      await v.locator('.location-label', { hasText: place.community.name }).waitFor()
      await shoot(resident, 'resident-report-filled', { fullPage: true })
      await v.locator('.report-submit').click()
      const outcome = await firstOf(resident, {
        ticket: resident.locator('.taro_page:not(.taro_page_shade) .ticket-state'),
        notice: resident.locator('.consent-grant:visible'),
        stuck: resident.locator('.consent-withdraw:visible')
      })
      if (outcome === 'stuck') throw new Error('the submission answered 403 consent_required and the privacy notice that opened offers only 撤回同意, no 同意: the resident cannot submit')
      if (outcome === 'notice') {
        // The server has no consent of this resident: the app opens the privacy notice; agree, go back, submit again.
        ctx.askedAgain = true
        await shoot(resident, 'resident-asked-to-consent-again')
        await resident.locator('.consent-grant:visible').click()
        await resident.locator('.consent-withdraw:visible').waitFor()
        await resident.goBack()
        await resident.waitForURL(/packages\/report\/new/)
        await resident.waitForTimeout(700)
        await visible(resident).locator('.report-submit').click()
      }
      await resident.waitForURL(/packages\/ticket\/detail\/index\?id=/)
      ctx.ticketId = new URL(resident.url().replace('#/', '')).searchParams.get('id') ?? ''
      await visible(resident).locator('.ticket-state').waitFor()
      await shoot(resident, 'resident-ticket-submitted')
      log(`ticket ${ctx.ticketId}`)
    })

    await step(
      "6b'. the resident who agreed to the privacy notice on the home page is not asked again at submission",
      async () => {
        if (ctx.askedAgain)
          throw new Error('the submission answered 403 consent_required and the app opened the privacy notice again: the consent given before the WeChat sign-in never reached the server')
      },
      { independent: true }
    )

    // ── 7. routing ────────────────────────────────────────────────────────────
    await step('7. the ticket reaches the on-duty grid worker (inbox, assignee and routing reason)', async () => {
      const ticket = await authed(ctx.base, ctx.adminSession.accessToken, `/api/tickets/${ctx.ticketId}`)
      if (ticket.grid?.code !== place.grid.code) throw new Error(`the ticket is in grid ${ticket.grid?.code}, expected ${place.grid.code}`)
      if (ticket.assignee?.id !== ctx.workerId)
        throw new Error(`assignee ${JSON.stringify(ticket.assignee)} (queue ${ticket.queue}), expected the grid worker ${ctx.workerId}; reason: ${ticket.routing?.reason}`)
      const reason = ticket.routing?.reason ?? ''
      if (!reason.includes('在岗') || reason.includes('无在岗') || !reason.includes(WORKER.name)) throw new Error(`the routing reason does not name the on-duty worker: ${reason}`)
      log(`routing: ${reason}`)
      await worker.goto(`${ctx.base}/#/packages/staff/inbox/index`)
      const card = visible(worker).locator(`[data-ticket-id="${ctx.ticketId}"]`)
      await card.waitFor()
      await shoot(worker, 'worker-inbox')
      await card.click()
      await worker.waitForURL(/packages\/staff\/detail/)
      await visible(worker).locator('.routing-reason').waitFor()
      await shoot(worker, 'worker-ticket')
    })

    // ── 8. handling ───────────────────────────────────────────────────────────
    const act = async (event, note) => {
      const v = visible(worker)
      await v.locator(`.action-${event}`).click()
      if (note !== undefined) {
        await v.locator('.action-note textarea').fill(note)
        await v.locator('.action-confirm').click()
      }
      await v
        .locator('.action-form')
        .waitFor({ state: 'detached' })
        .catch(() => undefined)
    }
    await step('8. the grid worker accepts, replies and resolves', async () => {
      await act('accept')
      await visible(worker).locator('.ticket-state', { hasText: '已签收' }).waitFor()
      await act('reply', REPLY)
      await visible(worker).locator('.ticket-reply-text', { hasText: REPLY }).waitFor()
      await act('resolve', '井盖已加固，现场复查无松动。')
      await visible(worker).locator('.ticket-state', { hasText: '已办结' }).waitFor()
      await shoot(worker, 'worker-resolved')
    })

    // ── 9. the resident again ─────────────────────────────────────────────────
    await step("9. the resident sees the reply in the ticket's timeline", async () => {
      await resident.reload()
      const v = visible(resident)
      await v.locator('.timeline-note.is-reply', { hasText: REPLY }).waitFor()
      await v.locator('.ticket-state', { hasText: '已办结' }).waitFor()
      await shoot(resident, 'resident-timeline', { fullPage: true })
    })

    // ── 10. the audit trail ───────────────────────────────────────────────────
    await step('10. the district admin opens 管理 → 审计日志 and finds every staff action of the story; the chain verifies', async () => {
      const token = (await sessionOf(admin))?.accessToken ?? ctx.adminSession.accessToken
      const rows = []
      let cursor = null
      for (let pages = 0; pages < 20; pages++) {
        const page = await authed(ctx.base, token, `/api/admin/audit?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
        rows.push(...page.items)
        cursor = page.nextCursor
        if (!cursor) break
      }
      const adminId = ctx.adminSession.user.id
      const has = (what, test) => {
        if (!rows.some(test)) throw new Error(`the audit trail has no ${what}; it has: ${rows.map((r) => `${r.action} ${r.objectType}:${r.objectId ?? ''} by ${r.actorId ?? '-'}`).join('; ')}`)
      }
      has('sign-in of the district admin', (r) => r.action === 'auth.sign_in' && r.actorId === adminId)
      has('territory import by the admin', (r) => r.action === 'territory.import' && r.actorId === adminId)
      const created = rows.filter((r) => r.action === 'account.create' && r.actorId === adminId).length
      if (created !== 3) throw new Error(`the audit trail has ${created} account.create rows by the admin, expected 3`)
      has('password change of the worker', (r) => r.action === 'account.password_change' && r.actorId === ctx.workerId)
      has('duty switch of the worker', (r) => r.action === 'duty.on_duty' && r.actorId === ctx.workerId)
      for (const event of ['accept', 'reply', 'resolve']) {
        has(`${event} by the worker`, (r) => r.action === 'ticket.transition' && r.actorId === ctx.workerId && r.objectId === ctx.ticketId && r.detail?.event === event)
      }
      has('view of the ticket with contact data by the worker', (r) => r.action === 'ticket.view_contact' && r.actorId === ctx.workerId && r.objectId === ctx.ticketId)
      ctx.auditRows = rows.length

      // The same, as the admin reads it: 我的 → 管理 → 审计日志.
      await openHub()
      await visible(admin).locator('.admin-link-audit').click()
      await admin.waitForURL(/packages\/audit-admin\/log/)
      const v = visible(admin)
      await v.locator('.audit-row').first().waitFor()
      for (let i = 0; i < 10 && (await v.locator('.audit-more').count()); i++) {
        await v.locator('.audit-more').click()
        await admin.waitForTimeout(500)
      }
      const labels = await v.locator('.audit-row').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))
      if (labels.length < rows.length) throw new Error(`the audit page shows ${labels.length} rows, the API ${rows.length}`)
      const shown = (label, min = 1) => {
        const n = labels.filter((l) => l.includes(label)).length
        if (n < min) throw new Error(`the audit page shows ${n} rows of “${label}”, expected at least ${min}`)
      }
      shown('工作人员登录')
      shown('导入辖区')
      shown('新建账号', 3)
      shown('本人修改密码', 2)
      shown('上岗/离岗')
      shown('工单办理', 3)
      shown('查看工单个人信息')
      await v.locator('.audit-row').first().scrollIntoViewIfNeeded()
      await shoot(admin, 'audit')

      const out = await runCommand('npm run audit -- verify', 'npm', ['run', 'audit', '--', 'verify'], env)
      if (!/intact/.test(out)) throw new Error(`npm run audit -- verify did not say the chain is intact:\n${out}`)
      log(`audit: ${rows.length} rows, all story actions present; ${out.trim().split('\n').pop()}`)
    })

    await step(
      "the phones talked to nobody but the app (and WeChat's authorisation page, answered by the test)",
      async () => {
        if (outside.length) throw new Error(`requests left the machine: ${[...new Set(outside)].slice(0, 5).join(', ')}`)
      },
      { independent: true }
    )

    code = await run.finish()
    if (failedCalls.length) log(`answers ≥ 400 the pages got along the way:\n  ${failedCalls.join('\n  ')}`)
  } catch (err) {
    code = await run.finish(err)
    if (failedCalls.length) console.error(`--- answers ≥ 400 the pages got (last 12) ---\n  ${failedCalls.slice(-12).join('\n  ')}`)
    for (const proc of [server, ctx.fake]) {
      const tail = proc?.output()
      if (tail?.trim()) console.error(`--- last output of ${proc.name} ---\n${tail}`)
    }
  } finally {
    await stopAllProcesses()
    await db?.drop().catch((e) => console.error(`could not drop ${db.name}: ${e.message}`))
    rmSync(dataDir, { recursive: true, force: true })
  }
  process.exit(code)
}

await main()
