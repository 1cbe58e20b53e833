// The fair baseline of the submission benchmark (issue 12 point 5): a report filed by hand-written
// mysql2 code, no TypeORM and none of the app's middleware, writing the same rows a real submission
// writes, in one transaction. What it does and leaves out is listed in bench/README.md
// ("The hand-written baseline").
import { createSecretKey, randomBytes, randomUUID } from 'node:crypto'
import type { Middleware } from 'koa'
import jwt from 'jsonwebtoken'
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise'
import type { Config } from '../src/config'

/** What the hand-written endpoint answers besides 201 (a hand-written service would have the same refusals). */
function refuse(ctx: Parameters<Middleware>[0], status: number, code: string): void {
  ctx.status = status
  ctx.type = 'application/problem+json'
  ctx.body = { status, code }
}

interface CategoryRow {
  name: string
  acceptMinutes: number
  resolveMinutes: number
}

interface ReportBody {
  kind: string
  category: string
  description: string
  address?: string
  allowPublication?: boolean
  location: { lat: number; lng: number }
}

/** The checks a hand-written handler makes of the body (the app's zod schema checks more). */
function parseBody(body: unknown): ReportBody | null {
  if (typeof body !== 'object' || body === null) return null
  const b = body as Record<string, unknown>
  const loc = b.location as { lat?: unknown; lng?: unknown } | undefined
  if (b.kind !== 'report' || typeof b.category !== 'string' || typeof b.description !== 'string' || b.description.length < 5 || b.description.length > 2000) return null
  if (!loc || typeof loc.lat !== 'number' || typeof loc.lng !== 'number') return null
  if (b.address !== undefined && (typeof b.address !== 'string' || b.address.length > 200)) return null
  return {
    kind: 'report',
    category: b.category,
    description: b.description,
    address: b.address as string | undefined,
    allowPublication: b.allowPublication === true,
    location: { lat: loc.lat, lng: loc.lng }
  }
}

const USER_SQL =
  'SELECT u.role AS role, u.display_name AS displayName, u.disabled AS disabled, ' +
  'EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = ? AND t.revoked_at IS NULL) AS sessionAlive, ' +
  '(SELECT c.action FROM consent_records c WHERE c.user_id = u.id ORDER BY c.seq DESC LIMIT 1) AS consent ' +
  'FROM users u WHERE u.id = ?'

/** The grid under the point (by its bounding box) and its on-duty worker with the fewest open tickets. */
const WORKER_SQL =
  'SELECT g.code AS gridCode, g.name AS gridName, g.community_code AS communityCode, g.street_code AS streetCode, u.id AS workerId, u.display_name AS workerName, ' +
  "(SELECT COUNT(*) FROM tickets t WHERE t.assignee_id = u.id AND t.state_group = 'open') AS openCount " +
  'FROM grids g JOIN staff_grids sg ON sg.grid_code = g.code JOIN users u ON u.id = sg.user_id ' +
  "WHERE g.min_lat <= ? AND g.max_lat > ? AND g.min_lng <= ? AND g.max_lng > ? AND u.role = 'grid_worker' AND u.on_duty = 1 AND u.disabled = 0 " +
  'ORDER BY openCount, u.id LIMIT 1'

const INSERT_KEY = "INSERT INTO idempotency_keys (id, user_id, idem_key, request_hash, status, created_at) VALUES (?, ?, ?, ?, 'in_flight', ?)"
const INSERT_TICKET =
  'INSERT INTO tickets (id, number, kind, category, state, state_group, description, lat, lng, address, level, grid_code, community_code, street_code, ' +
  'assignee_id, reporter_id, anonymous, allow_publication, routing_reason, routing_inputs, dispatched_at, accept_due_at, resolve_due_at, due_at, reopen_count, version, created_at, updated_at) ' +
  "VALUES (?, ?, 'report', ?, 'assigned', 'open', ?, ?, ?, ?, 'grid', ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, 0, 2, ?, ?)"
const INSERT_EVENTS =
  'INSERT INTO ticket_events (id, ticket_id, seq, event, from_state, to_state, actor_id, actor_role, actor_name, note, data, created_at) VALUES ' +
  "(?, ?, 1, 'submit', NULL, 'submitted', ?, 'resident', ?, NULL, NULL, ?), (?, ?, 2, 'assign', 'submitted', 'assigned', NULL, 'system', '系统', ?, ?, ?)"
const INSERT_MESSAGES =
  "INSERT INTO messages (id, user_id, kind, title, body, ticket_id, created_at) VALUES (?, ?, 'ticket_update', '工单已分派', ?, ?, ?), (?, ?, 'ticket_assigned', '新工单待签收', ?, ?, ?)"
const INSERT_OUTBOX =
  'INSERT INTO notification_outbox (id, user_id, channel, kind, template_key, payload, message_id, dispatch_state, attempts, grant_consumed, next_attempt_at, created_at) ' +
  "VALUES (?, ?, 'wechat_subscribe', 'ticket_assigned', 'ticket_assigned', ?, ?, 'pending', 0, 0, ?, ?)"
const HIT_LIMIT =
  'INSERT INTO rate_limits (bucket, subject, window_start, hits, max_hits, expires_at) VALUES (?, ?, ?, 1, ?, ?) ON DUPLICATE KEY UPDATE ' +
  'hits = IF(VALUES(window_start) >= window_start + ?, 1, hits + 1), expires_at = IF(VALUES(window_start) >= window_start + ?, VALUES(expires_at), expires_at), ' +
  'max_hits = VALUES(max_hits), window_start = IF(VALUES(window_start) >= window_start + ?, VALUES(window_start), window_start)'
// The dashboards' per-ticket facts and daily counters (stats module), kept in the submission's transaction.
const INSERT_FACTS =
  'INSERT INTO stats_ticket_facts (ticket_id, day, street_code, community_code, grid_code, category, source, received, accepted_on_time, accept_missed, resolved, ' +
  "open_past_resolve, overdue, rated, satisfied, next_check_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'resident', 1, 0, 0, 0, 0, 0, 0, 0, ?, ?)"
const COUNTERS = ['received', 'accepted_on_time', 'accept_missed', 'resolved', 'open_past_resolve', 'overdue', 'rated', 'satisfied']
const ADD_COUNTERS = `ON DUPLICATE KEY UPDATE ${COUNTERS.map((c) => `${c} = ${c} + VALUES(${c})`).join(', ')}`
const ADD_DAILY =
  `INSERT INTO stats_daily (day, street_code, community_code, grid_code, category, source, ${COUNTERS.join(', ')}) ` + `VALUES (?, ?, ?, ?, ?, 'resident', 1, 0, 0, 0, 0, 0, 0, 0) ${ADD_COUNTERS}`
const ROLLUP_ROW = "(?, ?, ?, ?, 'resident', 1, 0, 0, 0, 0, 0, 0, 0)"
const ADD_ROLLUP = `INSERT INTO stats_rollup (dim, scope, day, item, source, ${COUNTERS.join(', ')}) VALUES ${[ROLLUP_ROW, ROLLUP_ROW, ROLLUP_ROW, ROLLUP_ROW].join(', ')} ${ADD_COUNTERS}`
const COMPLETE_KEY = "UPDATE idempotency_keys SET status = 'done', response_status = 201, response_body = ?, completed_at = ? WHERE id = ? AND status = 'in_flight'"

const LIMIT_WINDOW_S = 3600

/**
 * POST handler of the baseline: checks the token, the account, its sign-in and consent, picks the
 * grid's on-duty worker with the fewest open tickets, then in one transaction claims the
 * Idempotency-Key and writes the ticket, its submit and assign events, the two message-centre rows,
 * the worker's WeChat outbox row, the dashboards' facts row and daily counters, the submission
 * counter and the key's stored answer. `count` is
 * called once per SQL round trip (the benchmark prints round trips per request).
 */
export function handWrittenSubmission(pool: Pool, jwtConfig: Config['jwt'], count: () => void): Middleware {
  const key = createSecretKey(Buffer.from(jwtConfig.secret, 'utf8'))
  const categories = new Map<string, CategoryRow>()
  const loadCategories = pool
    .query<RowDataPacket[]>('SELECT code, name, accept_within_minutes AS acceptMinutes, resolve_within_minutes AS resolveMinutes FROM ticket_categories WHERE active = 1')
    .then(([rows]) => {
      for (const r of rows) categories.set(String(r.code), { name: String(r.name), acceptMinutes: Number(r.acceptMinutes), resolveMinutes: Number(r.resolveMinutes) })
    })

  return async function fileReportByHand(ctx) {
    await loadCategories
    const token = /^Bearer (.+)$/.exec(ctx.get('Authorization'))?.[1]
    const idemKey = ctx.get('Idempotency-Key')
    let claims: jwt.JwtPayload
    try {
      const payload = token ? jwt.verify(token, key, { algorithms: ['HS256'], issuer: jwtConfig.issuer, audience: jwtConfig.audience }) : null
      if (!payload || typeof payload !== 'object' || typeof payload.sub !== 'string') return refuse(ctx, 401, 'invalid_token')
      claims = payload
    } catch {
      return refuse(ctx, 401, 'invalid_token')
    }
    const body = parseBody(ctx.request.body)
    const category = body && categories.get(body.category)
    if (!body || !category) return refuse(ctx, 400, 'validation_failed')
    if (!idemKey) return refuse(ctx, 400, 'idempotency_key_required')
    const userId = claims.sub as string

    count()
    const [users] = await pool.execute<RowDataPacket[]>(USER_SQL, [claims.sid ?? null, userId])
    const user = users[0]
    if (!user || Number(user.disabled) !== 0 || Number(user.sessionAlive) !== 1) return refuse(ctx, 401, 'invalid_token')
    if (user.consent !== 'granted') return refuse(ctx, 403, 'consent_required')
    const { lat, lng } = body.location
    count()
    const [workers] = await pool.execute<RowDataPacket[]>(WORKER_SQL, [lat, lat, lng, lng])
    const worker = workers[0]
    if (!worker) return refuse(ctx, 400, 'out_of_district')

    const now = new Date()
    const ticketId = randomUUID()
    const number = `PC${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(4).toString('hex').slice(0, 6).toUpperCase()}`
    const acceptDueAt = new Date(now.getTime() + category.acceptMinutes * 60_000)
    const resolveDueAt = new Date(now.getTime() + category.resolveMinutes * 60_000)
    const reason = `按位置落入网格 ${String(worker.gridCode)}；在岗网格员 ${String(worker.workerName)}，当前 ${Number(worker.openCount)} 件在办`
    const inputs = JSON.stringify({ category: body.category, kind: body.kind, location: body.location, gridCode: worker.gridCode })
    const answer = JSON.stringify({
      id: ticketId,
      number,
      kind: 'report',
      category: body.category,
      categoryName: category.name,
      state: 'assigned',
      createdAt: now,
      acceptDueAt,
      resolveDueAt,
      description: body.description,
      address: body.address ?? null,
      location: body.location,
      grid: { code: worker.gridCode, name: worker.gridName },
      assignee: { id: worker.workerId, displayName: worker.workerName, role: 'grid_worker' },
      reporter: { displayName: user.displayName }
    })
    const keyId = randomUUID()
    const messageId = randomUUID()
    const at = Math.floor(now.getTime() / 1000)

    const conn: PoolConnection = await pool.getConnection()
    try {
      count()
      await conn.beginTransaction()
      try {
        count()
        await conn.execute(INSERT_KEY, [keyId, userId, idemKey.slice(0, 128), randomBytes(32).toString('hex'), now])
      } catch (err) {
        await conn.rollback()
        if ((err as { code?: string }).code === 'ER_DUP_ENTRY') return refuse(ctx, 409, 'idempotency_in_flight')
        throw err
      }
      count()
      await conn.execute(INSERT_TICKET, [
        ticketId,
        number,
        body.category,
        body.description,
        lat,
        lng,
        body.address ?? null,
        worker.gridCode,
        worker.communityCode,
        worker.streetCode,
        worker.workerId,
        userId,
        body.allowPublication ? 1 : 0,
        reason,
        inputs,
        now,
        acceptDueAt,
        resolveDueAt,
        acceptDueAt,
        now,
        now
      ])
      count()
      await conn.execute(INSERT_EVENTS, [randomUUID(), ticketId, userId, String(user.displayName).slice(0, 64), now, randomUUID(), ticketId, reason, inputs, now])
      count()
      await conn.execute(INSERT_MESSAGES, [
        randomUUID(),
        userId,
        `工单 ${number}（${category.name}）已分派给网格员办理。`,
        ticketId,
        now,
        messageId,
        worker.workerId,
        `工单 ${number}（${category.name}）已分派给您。`,
        ticketId,
        now
      ])
      count()
      await conn.execute(INSERT_OUTBOX, [
        randomUUID(),
        worker.workerId,
        JSON.stringify({ page: `packages/staff/detail/index?id=${ticketId}`, data: { character_string1: number, thing2: category.name } }),
        messageId,
        now,
        now
      ])
      const day = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)
      const { gridCode, communityCode, streetCode } = worker as { gridCode: string; communityCode: string; streetCode: string }
      count()
      await conn.execute(INSERT_FACTS, [ticketId, day, streetCode, communityCode, gridCode, body.category, acceptDueAt, now])
      count()
      await conn.execute(ADD_DAILY, [day, streetCode, communityCode, gridCode, body.category])
      count()
      await conn.execute(ADD_ROLLUP, [
        'street',
        '',
        day,
        streetCode,
        'category',
        '',
        day,
        body.category,
        'community',
        streetCode,
        day,
        communityCode,
        'street_category',
        streetCode,
        day,
        body.category
      ])
      count()
      await conn.execute(HIT_LIMIT, ['submission', userId, at, 1_000_000_000, new Date((at + LIMIT_WINDOW_S) * 1000), LIMIT_WINDOW_S, LIMIT_WINDOW_S, LIMIT_WINDOW_S])
      count()
      await conn.execute(COMPLETE_KEY, [answer, now, keyId])
      count()
      await conn.commit()
    } catch (err) {
      await conn.rollback().catch(() => undefined)
      throw err
    } finally {
      conn.release()
    }
    ctx.status = 201
    ctx.type = 'application/json'
    ctx.body = answer
  }
}
