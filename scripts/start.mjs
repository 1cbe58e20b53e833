#!/usr/bin/env node
// npm start: build the H5 app when it is missing or older than its sources, then run the server,
// which serves it at / with the API under /api (demo mode on the embedded database by default).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const h5Index = path.join(root, 'miniapp/dist/h5/index.html')
const sources = ['miniapp/src', 'miniapp/config', 'shared/src'].map((p) => path.join(root, p))

function newestMtime(dir) {
  if (!existsSync(dir)) return 0
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs)
  }
  return newest
}

const stale = !existsSync(h5Index) || Math.max(...sources.map(newestMtime)) > statSync(h5Index).mtimeMs
// H5_DIR (a build of one's own, see docs/testing.md) is served as it is, never rebuilt here.
if (stale && process.env.SKIP_H5_BUILD !== '1' && !process.env.H5_DIR) {
  console.log('Building the H5 app (first start or sources changed)…')
  // Always a production build, whatever NODE_ENV the caller runs the server with: a development
  // build expects the dev server's React refresh runtime and fails in the browser.
  const build = spawnSync('npm', ['run', 'build:h5'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } })
  if (build.status !== 0) {
    console.error('The H5 build failed; starting the API alone.')
  }
}

// The server runs in server/; a relative H5_DIR means the repository root, as everywhere else here.
const env = process.env.H5_DIR ? { ...process.env, H5_DIR: path.resolve(root, process.env.H5_DIR) } : process.env
const server = spawn('npm', ['start', '-w', '@palm/server'], { cwd: root, stdio: 'inherit', env })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal))
server.on('exit', (code) => process.exit(code ?? 0))
