import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const serverRoot = path.resolve(import.meta.dirname, '..')
const dataDir = mkdtempSync(path.join(tmpdir(), 'palm-main-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

function waitForLine(child: ReturnType<typeof spawn>, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = ''
    const onData = (chunk: Buffer) => {
      seen += chunk.toString()
      const match = pattern.exec(seen)
      if (match) resolve(match[0])
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('exit', (code) => reject(new Error(`exited ${code} before ${pattern}: ${seen}`)))
  })
}

function startServer(drainDelayMs: number) {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverRoot,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      JOBS: 'off',
      SEED_DEMO: '0',
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
      SHUTDOWN_DRAIN_DELAY_MS: String(drainDelayMs)
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
}

interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

function get(port: number, path: string, agent: http.Agent | false = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
  })
}

describe('main', () => {
  it('on SIGTERM stops accepting, finishes the request in flight, and exits 0', async () => {
    const child = startServer(300)
    const line = await waitForLine(child, /"port":(\d+)/)
    const port = Number(/(\d+)/.exec(line)?.[1])
    expect(port).toBeGreaterThan(0)

    // A request whose body is still arriving when the signal comes.
    const body = JSON.stringify({ hello: 'world' })
    const response = new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, method: 'POST', path: '/api/not-a-route', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume()
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }))
        }
      )
      req.on('error', reject)
      req.write(body.slice(0, 5))
      setTimeout(() => {
        child.kill('SIGTERM')
        setTimeout(() => req.end(body.slice(5)), 300)
      }, 200)
    })
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    // Finished during the drain: it tells the client not to reuse the socket.
    expect(await response).toEqual({ status: 404, connection: 'close' })
    expect(await exited).toBe(0)
  })

  // Issue 14.3: a load balancer must learn of the shutdown before the listener goes.
  it('on SIGTERM answers /readyz 503 shutting_down for the drain delay, serves with Connection: close, then refuses and exits 0', async () => {
    const drainDelayMs = 4_000
    const child = startServer(drainDelayMs)
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    const port = Number(/(\d+)/.exec(await waitForLine(child, /"port":(\d+)/))?.[1])
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const before = await get(port, '/readyz', agent)
      expect(before.status).toBe(200)
      expect(before.headers.connection).toBe('keep-alive')

      const draining = waitForLine(child, /readyz answers 503/)
      child.kill('SIGTERM')
      await draining
      const started = Date.now()
      const ready = await get(port, '/readyz', agent)
      expect(ready.status).toBe(503)
      expect(ready.headers['content-type']).toMatch(/application\/problem\+json/)
      expect(ready.headers['retry-after']).toBeDefined()
      expect(JSON.parse(ready.body)).toMatchObject({ status: 503, code: 'shutting_down' })
      expect(ready.headers.connection).toBe('close')
      // Follow-up requests on a keep-alive agent: each is answered (none reset), each says close.
      let answered = 0
      while (Date.now() - started < drainDelayMs - 1_000 && answered < 20) {
        const live = await get(port, '/livez', agent)
        expect(live.status).toBe(200)
        expect(live.headers.connection).toBe('close')
        answered++
      }
      console.info(`draining: ${answered} follow-up requests on one keep-alive agent, all answered with Connection: close`)
      expect(answered).toBeGreaterThan(0)

      expect(await exited).toBe(0)
      await expect(get(port, '/livez')).rejects.toThrow(/ECONNREFUSED/)
    } finally {
      agent.destroy()
      child.kill('SIGKILL')
    }
  })
})
