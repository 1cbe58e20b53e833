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

describe('main', () => {
  it('on SIGTERM stops accepting, finishes the request in flight, and exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: serverRoot,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, JOBS: 'off', SEED_DEMO: '0', LOG_LEVEL: 'info', NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const line = await waitForLine(child, /"port":(\d+)/)
    const port = Number(/(\d+)/.exec(line)?.[1])
    expect(port).toBeGreaterThan(0)

    // A request whose body is still arriving when the signal comes.
    const body = JSON.stringify({ hello: 'world' })
    const response = new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/not-a-route', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      })
      req.on('error', reject)
      req.write(body.slice(0, 5))
      setTimeout(() => {
        child.kill('SIGTERM')
        setTimeout(() => req.end(body.slice(5)), 300)
      }, 200)
    })
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    expect(await response).toBe(404)
    expect(await exited).toBe(0)
  })
})
