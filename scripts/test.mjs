#!/usr/bin/env node
// npm test: shared, then the server suite on SQLite and on MariaDB, then the mini-program, then the
// end-to-end browser tests (the production one on MariaDB). The MariaDB half is skipped loudly when no server answers; with
// REQUIRE_MARIADB=1 (as .ci/run sets it) a skipped half is a failure.
import { spawnSync } from 'node:child_process'
import net from 'node:net'

const mariadbUrl = new URL((process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306').replace(/^mariadb:/, 'mysql:'))
const only = process.argv.slice(2)

let suitesPassed = 0
function run(title, command, args, env = {}) {
  console.log(`\n━━━ ${title} ━━━`)
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  if (result.status !== 0) {
    console.error(`\n✗ ${title} failed`)
    console.log(`suites: ${suitesPassed} passed, 1 failed`)
    process.exit(result.status ?? 1)
  }
  suitesPassed++
}

function reachable(host, port) {
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

const want = (part) => only.length === 0 || only.includes(part)

if (want('shared')) run('shared: schemas and the ticket state machine', 'npm', ['test', '-w', '@palm/shared'])
if (want('server')) run('server on SQLite', 'npm', ['test', '-w', '@palm/server'], { TEST_DB: 'sqlite' })
if (want('server')) {
  if (await reachable(mariadbUrl.hostname, mariadbUrl.port || 3306)) {
    run('server on MariaDB', 'npm', ['test', '-w', '@palm/server'], { TEST_DB: 'mariadb' })
  } else {
    const banner = '!'.repeat(78)
    console.error(`\n${banner}\n!! MariaDB HALF SKIPPED: nothing answers on ${mariadbUrl.host}.`)
    console.error('!! Only the SQLite half of the server suite ran. Start MariaDB (see README) and rerun.')
    console.error(`${banner}\n`)
    if (process.env.REQUIRE_MARIADB === '1') process.exit(1)
  }
}
// Opt-in, never part of a plain `npm test` (it needs root and galera-4, and takes a minute or two):
// `node scripts/test.mjs galera` starts a three-node Galera cluster on loopback (scripts/galera.sh) and
// runs the multi-instance tests against it, instance A on node 1 and B on node 2 (docs/operations.md "Galera").
if (only.includes('galera')) {
  const galera = new URL('./galera.sh', import.meta.url).pathname
  run('Galera: three nodes on loopback', 'bash', [galera, 'start'])
  const tests = ['src/modules/limits/two-instances.test.ts', 'src/modules/limits/rate-limits.test.ts', 'src/db/deadlock.test.ts', 'src/main.crash.test.ts']
  console.log('\n━━━ server multi-instance tests on Galera ━━━')
  const result = spawnSync('npx', ['vitest', 'run', ...tests], {
    cwd: new URL('../server/', import.meta.url).pathname,
    stdio: 'inherit',
    env: { ...process.env, TEST_DB: 'mariadb', TEST_MARIADB_URL: 'mysql://root@127.0.0.1:24301', TEST_MARIADB_URL_B: 'mysql://root@127.0.0.1:24302' }
  })
  spawnSync('bash', [galera, 'stop'], { stdio: 'inherit' })
  if (result.status !== 0) {
    console.error('\n✗ server multi-instance tests on Galera failed')
    process.exit(result.status ?? 1)
  }
  suitesPassed++
}
if (want('miniapp')) run('mini-program', 'npm', ['test', '-w', '@palm/miniapp', '--if-present'])
if (want('e2e')) run('end to end in Chromium: report → grid worker → public board', 'node', ['e2e/run.mjs'])
if (want('e2e')) run('end to end in Chromium: resident services', 'node', ['e2e/services.mjs'])
if (want('e2e')) run('end to end in Chromium: district dashboard (18 streets, charts, ranking, weights)', 'node', ['e2e/dashboard.mjs'])
if (want('e2e')) run('end to end in Chromium: map pick → ticket in the grid under the pin, staff map', 'node', ['e2e/maps.mjs'])
if (want('e2e')) run('end to end in Chromium: place QR codes → prefilled report, my grid, grid profile', 'node', ['e2e/places.mjs'])
if (want('e2e')) run('end to end in Chromium: 12345 handling (extension asked and approved by the level above, suspend and resume)', 'node', ['e2e/handling.mjs'])
if (want('e2e')) run('end to end in Chromium: the admin console (categories, 常用语, departments, rules; read-only for a street admin)', 'node', ['e2e/console.mjs'])
if (want('e2e')) {
  // Production mode needs MariaDB: skipped loudly without it, a failure under REQUIRE_MARIADB=1.
  if (await reachable(mariadbUrl.hostname, mariadbUrl.port || 3306)) {
    run('end to end in Chromium, production on MariaDB: first admin → territory → accounts → on-duty worker ← WeChat resident', 'node', ['e2e/production.mjs'])
  } else {
    const banner = '!'.repeat(78)
    console.error(`\n${banner}\n!! PRODUCTION END-TO-END SKIPPED: no MariaDB answers on ${mariadbUrl.host}.`)
    console.error('!! e2e/production.mjs runs NODE_ENV=production on MariaDB only. Start MariaDB (see README) and rerun.')
    console.error(`${banner}\n`)
    if (process.env.REQUIRE_MARIADB === '1') process.exit(1)
  }
}
console.log('\n✓ all test suites passed')
console.log(`suites: ${suitesPassed} passed, 0 failed`)
