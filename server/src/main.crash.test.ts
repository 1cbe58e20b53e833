import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { In } from 'typeorm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_DB_KIND, openTestDatabase, type TestDatabase } from '../test/db'
import { bearer } from '../test/factories'
import { createManyUsers } from '../test/services-factories'
import { createTicketWorld, reportBody, type TicketWorld } from '../test/tickets-factories'
import { testConfig } from './config'
import type { User } from './modules/auth/user.entity'
import { Ticket } from './modules/tickets/ticket.entity'

/**
 * "Nothing acknowledged is lost after kill -9" (issue 9, point 5), on MariaDB: the real server
 * (`tsx src/main.ts`) in a child process takes concurrent reports with Idempotency-Keys, is killed
 * with SIGKILL mid-load and started again; every report answered 201 is there, and sending every
 * request again with its key makes no duplicate. The WeChat side (each message sent at most once) is
 * relay.crash.test.ts (docs/messages.md).
 */
const serverRoot = path.resolve(import.meta.dirname, '..')
const config = testConfig()

interface Sent {
  user: User
  key: string
  body: Record<string, unknown>
  /** The first answer: a status, or 0 when the connection died with the server. */
  status: number
  ticketId?: string
}

function startServer(databaseUrl: string, dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverRoot,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      JWT_SECRET: config.jwt.secret,
      JOBS: 'off',
      SEED_DEMO: '0',
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
      // 40 residents send up to 25 reports each within a minute: counted, not refused.
      RATE_LIMIT_SCALE: '100'
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  return new Promise((resolve, reject) => {
    let seen = ''
    const onData = (chunk: Buffer) => {
      seen += chunk.toString()
      const match = /"port":(\d+)/.exec(seen)
      if (match) resolve({ child, port: Number(match[1]) })
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${seen.slice(-2000)}`)))
  })
}

async function post(port: number, s: Pick<Sent, 'user' | 'key' | 'body'>): Promise<{ status: number; id?: string; replayed: boolean }> {
  const res = await fetch(`http://127.0.0.1:${port}/api/tickets`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: bearer(config, s.user), 'Idempotency-Key': s.key },
    body: JSON.stringify(s.body)
  })
  const json = (await res.json()) as { id?: unknown }
  return { status: res.status, ...(typeof json.id === 'string' ? { id: json.id } : {}), replayed: res.headers.get('idempotent-replayed') === 'true' }
}

describe.skipIf(TEST_DB_KIND !== 'mariadb')('kill -9 under load (MariaDB)', () => {
  let db: TestDatabase
  let w: TicketWorld
  let residents: User[]
  const dataDir = mkdtempSync(path.join(tmpdir(), 'palm-crash-'))
  const children: ChildProcess[] = []

  beforeAll(async () => {
    db = await openTestDatabase()
    w = await createTicketWorld(db.ds)
    residents = await createManyUsers(db.ds, 'resident', 40, 'crash')
  }, 60_000)
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await db?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('keeps every report answered 201, and retries with the same keys make no duplicates', async () => {
    if (!db.url) throw new Error('no url')
    const url = db.url.replace(/^mysql:/, 'mariadb:')
    const first = await startServer(url, dataDir)
    children.push(first.child)

    // 8 clients send reports one after another until the server dies under them.
    const sent: Sent[] = []
    let dead = false
    const client = async (c: number) => {
      for (let i = 0; !dead && i < 200; i++) {
        const s: Sent = { user: residents[(c * 5 + i) % residents.length] as User, key: randomUUID(), body: reportBody(w, { description: `崩溃测试 ${c}-${i} 楼道垃圾` }), status: 0 }
        sent.push(s)
        try {
          const answer = await post(first.port, s)
          s.status = answer.status
          if (answer.id) s.ticketId = answer.id
        } catch {
          s.status = 0 // the connection died with the server: the client does not know
        }
      }
    }
    const load = Promise.all(Array.from({ length: 8 }, (_, c) => client(c)))
    for (let i = 0; i < 200 && sent.filter((s) => s.status === 201).length < 60; i++) await sleep(50)
    first.child.kill('SIGKILL')
    dead = true
    await load
    const acknowledged = sent.filter((s) => s.status === 201)
    const unanswered = sent.filter((s) => s.status === 0)
    // Every request was answered 201 or not at all (killed in flight).
    expect(
      sent
        .filter((s) => s.status !== 201 && s.status !== 0)
        .map((s) => s.status)
        .slice(0, 5)
    ).toEqual([])
    expect(acknowledged.length).toBeGreaterThanOrEqual(60)

    // Every acknowledged report is stored, right after the kill, before any restart.
    const ids = acknowledged.map((s) => s.ticketId ?? '')
    expect(await db.ds.getRepository(Ticket).countBy({ id: In(ids) })).toBe(ids.length)

    // Started again, the server answers every request sent before with its key: the same ticket for an
    // acknowledged one; for one the server died on, the ticket it stored or a new one, once.
    const second = await startServer(url, dataDir)
    children.push(second.child)
    const finalIds = new Map<string, string>()
    for (const s of sent) {
      let answer = await post(second.port, s)
      // A request killed mid-way left its key claimed; the claim's lease (10 s) runs out, then a retry takes it over.
      for (let n = 0; answer.status === 409 && n < 60; n++) {
        await sleep(500)
        answer = await post(second.port, s)
      }
      expect(answer.status).toBe(201)
      if (s.status === 201) {
        expect(answer.replayed).toBe(true)
        expect(answer.id).toBe(s.ticketId)
      }
      finalIds.set(s.key, answer.id ?? '')
    }
    // No duplicates: each key made exactly one ticket, and the residents have no other tickets.
    const stored = await db.ds.getRepository(Ticket).findBy({ reporterId: In(residents.map((r) => r.id)) })
    expect(new Set(finalIds.values()).size).toBe(sent.length)
    expect(stored.map((t) => t.id).sort()).toEqual([...finalIds.values()].sort())
    console.info(
      `[figures] kill -9 after ${acknowledged.length} acknowledged reports (${unanswered.length} in flight, unanswered): all ${acknowledged.length} stored; ${sent.length} retried with their keys → ${stored.length} tickets, 0 duplicates`
    )
    second.child.kill('SIGKILL')
  }, 180_000)
})
