import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { STREETS, TicketPageSchema, encodeCursor, type Role } from '@palm/shared'
import { createApp } from '../src/app'
import { loadConfig } from '../src/config'
import { createLogger } from '../src/logger'
import { signAccessToken } from '../src/modules/auth/tokens'
import { User } from '../src/modules/auth/user.entity'
import { newUserRow } from '../src/modules/auth/users.repo'
import { Community, Grid } from '../src/modules/territory/territory.entity'
import { createBenchDatabase, fmt, quantile, type BenchDatabase } from './bench-db'
import type { BenchResult } from './types'

/** Targets from issue 3: an inbox page within 20 ms at p95, at most 2× slower at 1,000,000 tickets than at 10,000. */
const TARGET_P95_MS = 20
const TARGET_GROWTH = 2
const SMALL = 10_000
/** BENCH_INBOX_ROWS=100000 (for example) runs the large size smaller, for a quick look. */
const LARGE = Math.max(SMALL * 2, Number(process.env.BENCH_INBOX_ROWS ?? 1_000_000))
const COMMUNITIES = 40
const GRIDS_PER_COMMUNITY = 5
const GRIDS = COMMUNITIES * GRIDS_PER_COMMUNITY
/** The open backlog: 25 tickets per grid, 125 per community. Work in hand does not grow with history. */
const OPEN_BACKLOG = 5_000
const CHUNK = 100_000
const SAMPLES = Number(process.env.BENCH_INBOX_SAMPLES ?? 300)
const WARMUP = 30
const PAGE = 20
const BASE = '2026-11-30 02:00:00'

const CATEGORY_SQL = "ELT(1 + s.seq % 6, 'sanitation', 'public_facilities', 'neighbour_dispute', 'safety_hazard', 'epidemic_prevention', 'other')"
const COLUMNS =
  'id, number, kind, category, state, state_group, description, details, lat, lng, address, level, grid_code, community_code, street_code, ' +
  'department_code, assignee_id, reporter_id, anonymous, allow_publication, routing_reason, routing_inputs, dispatched_at, accept_due_at, ' +
  'resolve_due_at, due_at, accepted_at, resolved_at, closed_at, last_reply_at, resolution, rating, rating_comment, reopen_count, version, created_at, updated_at'

/**
 * Rows seq in [from, to] as tickets: `open` ones are the backlog (created in the last three days, due
 * within two), the others history (created over the past two years, resolved or closed). Sequential
 * ids keep the primary key append-only, as UUIDv7-style ids would; one INSERT … SELECT per chunk
 * from MariaDB's sequence engine.
 */
function insertTicketsSql(from: number, to: number, open: boolean): string {
  const created = open ? `TIMESTAMP('${BASE}') - INTERVAL (s.seq % 4320) MINUTE` : `TIMESTAMP('${BASE}') - INTERVAL (${LARGE * 2} - s.seq) MINUTE`
  const state = open ? "ELT(1 + s.seq % 4, 'assigned', 'accepted', 'in_progress', 'returned')" : "ELT(1 + s.seq % 2, 'resolved', 'closed')"
  const doneAt = open ? 'NULL' : `${created} + INTERVAL 1 DAY`
  return `INSERT INTO tickets (${COLUMNS})
    SELECT CONCAT('00000000-0000-4000-8000-', LPAD(s.seq, 12, '0')), CONCAT('B', LPAD(s.seq, 12, '0')), 'report', ${CATEGORY_SQL},
      ${state}, '${open ? 'open' : 'done'}', CONCAT('基准工单 ', s.seq), NULL, 40.05 + (s.seq % 997) / 100000, 113.25 + (s.seq % 991) / 100000, NULL,
      'grid', g.grid_code, g.community_code, g.street_code, NULL, NULL, CONCAT('00000000-0000-4000-9000-', LPAD(s.seq % 50000, 12, '0')), 0, 0,
      'bench', '{}', ${created}, ${created} + INTERVAL 2 HOUR, ${created} + INTERVAL 3 DAY,
      ${open ? `${created} + INTERVAL 2 DAY` : `${created} + INTERVAL 3 DAY`}, ${open ? 'NULL' : `${created} + INTERVAL 1 HOUR`}, ${doneAt}, NULL, NULL,
      ${open ? 'NULL' : "'已处理'"}, NULL, NULL, 0, 2, ${created}, ${created}
    FROM seq_${from}_to_${to} s JOIN bench_grid_map g ON g.idx = s.seq % ${GRIDS}`
}

async function loadTickets(db: BenchDatabase, from: number, to: number, open: boolean): Promise<void> {
  for (let start = from; start <= to; start += CHUNK) await db.ds.query(insertTicketsSql(start, Math.min(to, start + CHUNK - 1), open))
}

/** 40 communities of 5 grids over the real streets, a grid worker and a community staff member to read them. */
async function seedTerritory(db: BenchDatabase) {
  const { ds } = db
  const communities: Community[] = []
  const grids: Grid[] = []
  const map: Array<[number, string, string, string]> = []
  for (let c = 0; c < COMMUNITIES; c++) {
    const street = STREETS[c % STREETS.length]?.code ?? STREETS[0].code
    const code = `${street}9${String(c).padStart(2, '0')}`
    communities.push(Object.assign(new Community(), { code, streetCode: street, name: `基准社区${c}（合成）`, kind: 'community', synthetic: true }))
    for (let g = 0; g < GRIDS_PER_COMMUNITY; g++) {
      const idx = c * GRIDS_PER_COMMUNITY + g
      const gridCode = `B${String(c).padStart(2, '0')}-${g}`
      const lat = 40.03 + idx * 0.0004
      const ring = [
        [113.2, lat],
        [113.2004, lat],
        [113.2004, lat + 0.0004],
        [113.2, lat + 0.0004],
        [113.2, lat]
      ]
      grids.push(
        Object.assign(new Grid(), {
          code: gridCode,
          name: `基准网格${idx}`,
          communityCode: code,
          streetCode: street,
          polygon: JSON.stringify({ type: 'Polygon', coordinates: [ring] }),
          minLat: lat,
          minLng: 113.2,
          maxLat: lat + 0.0004,
          maxLng: 113.2004,
          synthetic: true
        })
      )
      map.push([idx, gridCode, code, street])
    }
  }
  await ds.getRepository(Community).insert(communities)
  await ds.getRepository(Grid).insert(grids)
  await ds.query('CREATE TABLE bench_grid_map (idx INT NOT NULL PRIMARY KEY, grid_code VARCHAR(24) NOT NULL, community_code VARCHAR(16) NOT NULL, street_code VARCHAR(16) NOT NULL)')
  await ds.query(`INSERT INTO bench_grid_map VALUES ${map.map(() => '(?, ?, ?, ?)').join(', ')}`, map.flat())
  const measured = map[7] ?? map[0]
  if (!measured) throw new Error('no grids')
  const now = new Date()
  const staff = (role: string, extra: Partial<User>): User => newUserRow(role as Role, `${role}-bench`, now, { onDuty: true, synthetic: true, ...extra })
  const worker = staff('grid_worker', { gridCode: measured[1], communityCode: measured[2], streetCode: measured[3] })
  const communityStaff = staff('community_staff', { communityCode: measured[2], streetCode: measured[3] })
  await ds.getRepository(User).insert([worker, communityStaff])
  return { worker, communityStaff, gridCode: measured[1], communityCode: measured[2] }
}

interface Scenario {
  label: string
  token: string
  query: Record<string, string>
}

/** A cursor pointing `fraction` of the way through a list (as if the reader had paged that far). */
async function cursorAt(db: BenchDatabase, column: 'grid_code' | 'community_code', code: string, group: 'open' | 'done', fraction: number): Promise<string> {
  const [{ total }] = (await db.ds.query(`SELECT COUNT(*) AS total FROM tickets WHERE ${column} = ? AND state_group = ?`, [code, group])) as [{ total: number | string }]
  const offset = Math.max(0, Math.floor(Number(total) * fraction) - 1)
  const rows = (await db.ds.query(`SELECT id, due_at FROM tickets WHERE ${column} = ? AND state_group = ? ORDER BY due_at, id LIMIT 1 OFFSET ${offset}`, [code, group])) as Array<{
    id: string
    due_at: Date
  }>
  const row = rows[0]
  if (!row) throw new Error(`no row at ${fraction} of ${code}`)
  return encodeCursor([new Date(row.due_at).getTime(), row.id])
}

async function time(url: string, s: Scenario): Promise<{ p50: number; p95: number }> {
  const qs = new URLSearchParams({ view: 'inbox', limit: String(PAGE), ...s.query })
  const request = () => fetch(`${url}/api/tickets?${qs.toString()}`, { headers: { authorization: `Bearer ${s.token}` } })
  const first = await request()
  const page = TicketPageSchema.parse(await first.json())
  if (page.items.length === 0) throw new Error(`${s.label}: empty page`)
  for (let i = 0; i < WARMUP; i++) await (await request()).arrayBuffer()
  const samples: number[] = []
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now()
    const res = await request()
    await res.arrayBuffer()
    if (res.status !== 200) throw new Error(`${s.label}: HTTP ${res.status}`)
    samples.push(performance.now() - t0)
  }
  samples.sort((a, b) => a - b)
  return { p50: quantile(samples, 0.5), p95: quantile(samples, 0.95) }
}

/** The index and row estimate MariaDB picks for the two inbox queries (the keyset shape of list-tickets). */
async function explainInboxes(db: BenchDatabase, gridCode: string, communityCode: string): Promise<string> {
  const explain = async (column: string, code: string) => {
    const rows = (await db.ds.query(
      `EXPLAIN SELECT * FROM tickets t WHERE t.${column} = ? AND t.state_group = 'open' AND (t.due_at > ? OR (t.due_at = ? AND t.id > ?)) ORDER BY t.due_at, t.id LIMIT ${PAGE + 1}`,
      [code, BASE, BASE, '']
    )) as Array<{ key: string | null; rows: number | string; Extra: string | null }>
    const r = rows[0]
    return `${column.replace('_code', '')} → ${r?.key ?? 'no index'} (~${r?.rows ?? '?'} rows${r?.Extra?.includes('filesort') ? ', filesort' : ''})`
  }
  return `${await explain('grid_code', gridCode)}; ${await explain('community_code', communityCode)}`
}

/**
 * The inbox page at 10,000 and at 1,000,000 tickets (or BENCH_INBOX_ROWS) in MariaDB: GET
 * /api/tickets?view=inbox through the real app (auth, scope, keyset query, presenter) for a grid
 * worker and a community's staff, first pages and deep keyset pages, open work and history. The
 * open backlog stays the same while history grows 100×, which is how a district's data grows.
 */
export async function benchInbox(): Promise<BenchResult> {
  const db = await createBenchDatabase('inbox', 10)
  const dataDir = mkdtempSync(path.join(tmpdir(), 'palm-bench-'))
  const server = createServer()
  try {
    const who = await seedTerritory(db)
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: db.url.replace(/^mysql:/, 'mariadb:'),
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789',
      WECHAT_APPID: 'wx-bench',
      WECHAT_SECRET: 'bench-secret',
      LOG_LEVEL: 'silent',
      JOBS: 'off',
      DATA_DIR: dataDir,
      H5_DIR: path.join(dataDir, 'no-h5')
    })
    const app = createApp({ config, ds: db.ds, log: createLogger('silent'), now: () => new Date() })
    server.on('request', app.callback())
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const workerToken = signAccessToken(config.jwt, who.worker).token
    const staffToken = signAccessToken(config.jwt, who.communityStaff).token

    const measureAll = async (): Promise<Array<[string, { p50: number; p95: number }]>> => {
      await db.ds.query('ANALYZE TABLE tickets')
      const scenarios: Scenario[] = [
        { label: 'grid worker, open, first page', token: workerToken, query: {} },
        { label: 'grid worker, history, deep page (80 %)', token: workerToken, query: { state: 'done', cursor: await cursorAt(db, 'grid_code', who.gridCode, 'done', 0.8) } },
        { label: 'community, open, first page', token: staffToken, query: {} },
        { label: 'community, open, deep page (80 %)', token: staffToken, query: { cursor: await cursorAt(db, 'community_code', who.communityCode, 'open', 0.8) } },
        { label: 'community, history, deep page (80 %)', token: staffToken, query: { state: 'done', cursor: await cursorAt(db, 'community_code', who.communityCode, 'done', 0.8) } }
      ]
      const out: Array<[string, { p50: number; p95: number }]> = []
      for (const s of scenarios) out.push([s.label, await time(url, s)])
      return out
    }

    const t0 = performance.now()
    await loadTickets(db, 1, OPEN_BACKLOG, true)
    await loadTickets(db, OPEN_BACKLOG + 1, SMALL, false)
    const small = await measureAll()
    const t1 = performance.now()
    await loadTickets(db, SMALL + 1, LARGE, false)
    const loadSeconds = (performance.now() - t1) / 1000
    const large = await measureAll()
    const [{ n }] = (await db.ds.query('SELECT COUNT(*) AS n FROM tickets')) as [{ n: number | string }]
    const plans = await explainInboxes(db, who.gridCode, who.communityCode)

    let ok = true
    const lines = [
      `MariaDB; ${GRIDS} grids in ${COMMUNITIES} communities; open backlog ${fmt(OPEN_BACKLOG, 0)} (25 per grid), the rest history; page ${PAGE}; p95 of ${SAMPLES} sequential requests through HTTP`,
      `bulk load: ${fmt(Number(n), 0)} tickets in the end; ${fmt(LARGE - SMALL, 0)} loaded in ${fmt(loadSeconds, 1)} s (${fmt((LARGE - SMALL) / loadSeconds, 0)} rows/s, INSERT … SELECT from seq_* in chunks of ${fmt(CHUNK, 0)}); 10k set up in ${fmt((t1 - t0) / 1000, 1)} s incl. measuring`,
      `${'scenario'.padEnd(40)} ${`@${fmt(SMALL, 0)} p50 / p95`.padStart(22)} ${`@${fmt(LARGE, 0)} p50 / p95`.padStart(24)}   p95 growth`
    ]
    const ms = (m: { p50: number; p95: number }) => `${fmt(m.p50, 1)} / ${fmt(m.p95, 1)} ms`
    small.forEach(([label, atSmall], i) => {
      const atLarge = large[i]?.[1] ?? { p50: Number.NaN, p95: Number.NaN }
      const growth = atLarge.p95 / atSmall.p95
      const met = atSmall.p95 <= TARGET_P95_MS && atLarge.p95 <= TARGET_P95_MS && growth <= TARGET_GROWTH
      if (!met) ok = false
      lines.push(`${label.padEnd(40)} ${ms(atSmall).padStart(22)} ${ms(atLarge).padStart(24)}   ${fmt(growth, 2)}×${met ? '' : '  ← missed'}`)
    })
    lines.push(`plans at ${fmt(Number(n), 0)}: ${plans}`)
    lines.push(`targets: p95 ≤ ${TARGET_P95_MS} ms at both sizes, growth ≤ ${TARGET_GROWTH}×${LARGE !== 1_000_000 ? `   (BENCH_INBOX_ROWS=${LARGE}: not the full 1,000,000)` : ''}`)
    return { name: 'inbox page', ok, lines }
  } finally {
    server.close()
    await db.drop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
