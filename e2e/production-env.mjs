// The production surroundings of e2e/production.mjs: a fresh MariaDB database (created, then dropped),
// child processes each in its own process group (the fake WeChat API, the server, the CLIs) that are
// all stopped at the end — also when a step fails or the run is interrupted — and the H5 build reused
// from `npm start` (built only when missing or stale, exactly as scripts/start.mjs decides).
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, statSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { createConnection } from 'mysql2/promise'
import { log, root } from './harness.mjs'

/** Where MariaDB answers (the same variable the server's MariaDB tests read). */
export const mariadbUrl = new URL((process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306').replace(/^mariadb:/, 'mysql:'))

/** True when something accepts TCP connections at host:port within two seconds. */
export function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) }, () => {
      socket.end()
      resolve(true)
    })
    socket.on('error', () => resolve(false))
    socket.setTimeout(2000, () => {
      socket.destroy()
      resolve(false)
    })
  })
}

function adminConnection() {
  return createConnection({
    host: mariadbUrl.hostname,
    port: Number(mariadbUrl.port || 3306),
    user: decodeURIComponent(mariadbUrl.username || 'root'),
    password: decodeURIComponent(mariadbUrl.password || ''),
    connectTimeout: 5000
  })
}

/** An empty database `palm_e2e_prod_<random>`; `drop()` removes it. */
export async function freshDatabase() {
  const name = `palm_e2e_prod_${randomBytes(5).toString('hex')}`
  const conn = await adminConnection()
  try {
    await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
  } finally {
    await conn.end()
  }
  const url = new URL(mariadbUrl.href)
  url.pathname = `/${name}`
  return {
    name,
    url: url.href,
    /** Runs one statement in the test database (checks only; the test never writes behind the API). */
    query: async (sql, params = []) => {
      const c = await createConnection({ uri: url.href, connectTimeout: 5000 })
      try {
        const [rows] = await c.query(sql, params)
        return rows
      } finally {
        await c.end()
      }
    },
    drop: async () => {
      const c = await adminConnection()
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``)
      } finally {
        await c.end()
      }
    }
  }
}

const children = new Set()

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal)
  } catch {
    // already gone
  }
}

/**
 * A long-running child in its own process group, with its output kept (last lines shown on failure).
 * `stop()` sends SIGTERM to the group, then SIGKILL after 8 s.
 */
export function startProcess(name, command, args, env) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  const out = []
  child.stdout.on('data', (d) => out.push(String(d)))
  child.stderr.on('data', (d) => out.push(String(d)))
  const exited = new Promise((resolve) => child.on('exit', resolve))
  const handle = {
    name,
    child,
    output: (lines = 25) => out.join('').split('\n').slice(-lines).join('\n'),
    text: () => out.join(''),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return children.delete(handle)
      killGroup(child, 'SIGTERM')
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 8000)
      await exited
      clearTimeout(timer)
      children.delete(handle)
    }
  }
  children.add(handle)
  return handle
}

/** Stops every child still running (the finally of the test, and Ctrl-C). */
export async function stopAllProcesses() {
  await Promise.all([...children].map((c) => c.stop()))
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const c of children) killGroup(c.child, 'SIGKILL')
    process.exit(130)
  })
}

/** Runs a command to completion within `timeoutMs` (its whole group is killed past it); resolves with its output. */
export async function runCommand(name, command, args, env, { timeoutMs = 120_000, input } = {}) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'], detached: true })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  if (input !== undefined) child.stdin.end(input)
  else child.stdin.end()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    killGroup(child, 'SIGKILL')
  }, timeoutMs)
  const code = await new Promise((resolve) => child.on('close', resolve))
  clearTimeout(timer)
  if (timedOut) throw new Error(`${name} did not finish within ${timeoutMs / 1000} s\n${stdout}${stderr}`)
  if (code !== 0) throw new Error(`${name} exited with ${code}:\n${stdout}${stderr}`)
  return stdout
}

/** Waits until host:port accepts connections, or fails after `timeoutMs` (or when `proc` exits). */
export async function waitForPort(port, proc, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited with ${proc.child.exitCode}:\n${proc.output()}`)
    if (await reachable('127.0.0.1', port)) return
    await new Promise((r) => setTimeout(r, 300))
  }
  throw new Error(`${proc.name} did not listen on port ${port} within ${timeoutMs / 1000} s:\n${proc.output()}`)
}

function newestMtime(dir) {
  if (!existsSync(dir)) return 0
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs)
  }
  return newest
}

/**
 * The H5 app to serve: E2E_H5_DIR when given (a private build while developing), else the build
 * `npm start` uses (miniapp/dist/h5), rebuilt first when missing or older than its sources — the
 * same rule as scripts/start.mjs, so `npm test` builds it at most once.
 */
export async function h5Build() {
  if (process.env.E2E_H5_DIR) {
    const dir = path.resolve(root, process.env.E2E_H5_DIR)
    if (!existsSync(path.join(dir, 'index.html'))) throw new Error(`E2E_H5_DIR ${dir} holds no index.html`)
    return dir
  }
  const dir = path.join(root, 'miniapp/dist/h5')
  const index = path.join(dir, 'index.html')
  const sources = ['miniapp/src', 'miniapp/config', 'shared/src'].map((p) => path.join(root, p))
  const stale = !existsSync(index) || Math.max(...sources.map(newestMtime)) > statSync(index).mtimeMs
  if (stale) {
    log('building the H5 app (missing or older than its sources; the same build npm start serves)…')
    await runCommand('npm run build:h5', 'npm', ['run', 'build:h5'], { NODE_ENV: 'production' }, { timeoutMs: 20 * 60_000 })
  }
  return dir
}
