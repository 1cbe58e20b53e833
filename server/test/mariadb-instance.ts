import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import mysql from 'mysql2/promise'

/**
 * A private MariaDB server for tests that must freeze or kill their database (SIGSTOP, SIGKILL):
 * its own temp datadir, socket and loopback port, no grant tables, never the shared server on 3306.
 * `stop()` kills it (after SIGCONT, in case it is frozen) and removes the datadir; call it in finally.
 */
export interface MariaDbInstance {
  pid: number
  port: number
  /** mysql://root@127.0.0.1:<port>/<database> of an empty database made at start. */
  url: string
  stop: () => Promise<void>
}

const MARIADBD = '/usr/sbin/mariadbd'

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

async function waitUntilAnswering(port: number, child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mariadbd exited ${child.exitCode}: ${log()}`)
    try {
      const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1_000 })
      await c.end()
      return
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`mariadbd did not answer in ${timeoutMs} ms: ${(err as Error).message} ${log()}`)
      await new Promise((r) => setTimeout(r, 200))
    }
  }
}

/** Whether this machine can start a private MariaDB (the binaries exist). */
export function canStartMariaDbInstance(): boolean {
  return spawnSync(MARIADBD, ['--version'], { encoding: 'utf8' }).status === 0
}

export async function startMariaDbInstance(database = 'palm'): Promise<MariaDbInstance> {
  const dir = mkdtempSync(path.join(tmpdir(), 'palm-mariadb-'))
  const datadir = path.join(dir, 'data')
  const install = spawnSync('mariadb-install-db', ['--no-defaults', `--datadir=${datadir}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--user=root', '--skip-name-resolve'], {
    encoding: 'utf8',
    timeout: 120_000
  })
  if (install.status !== 0) {
    rmSync(dir, { recursive: true, force: true })
    throw new Error(`mariadb-install-db failed: ${install.stderr}`)
  }
  const port = await freePort()
  const child = spawn(
    MARIADBD,
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      `--socket=${path.join(dir, 'mysqld.sock')}`,
      `--pid-file=${path.join(dir, 'mysqld.pid')}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--user=root',
      '--skip-grant-tables',
      '--skip-name-resolve',
      '--skip-log-bin',
      '--innodb-buffer-pool-size=32M',
      '--innodb-log-file-size=16M',
      '--max-connections=50',
      `--log-error=${path.join(dir, 'error.log')}`
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  )
  // Even if the test runner gives up on a hung test, the server dies with this process.
  const killOnExit = () => {
    try {
      if (child.pid) process.kill(child.pid, 'SIGKILL')
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true })
  }
  process.once('exit', killOnExit)
  let output = ''
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()))
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      try {
        process.kill(child.pid, 'SIGCONT')
      } catch {
        // already gone
      }
      child.kill('SIGKILL')
      await exited
    }
    process.removeListener('exit', killOnExit)
    rmSync(dir, { recursive: true, force: true })
  }
  // Idempotent: the test's finally and an afterAll may both call it.
  let stopped: Promise<void> | undefined
  const stop = () => (stopped ??= kill())
  try {
    await waitUntilAnswering(port, child, () => output, 60_000)
    const admin = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' })
    await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
    await admin.end()
  } catch (err) {
    await stop()
    throw err
  }
  return { pid: child.pid ?? 0, port, url: `mysql://root@127.0.0.1:${port}/${database}`, stop }
}
