import { parseArgs } from 'node:util'
import type { DataSource } from 'typeorm'
import { ConfigError, loadConfig } from '../config'
import { openDatabase } from '../db/data-source'
import { AppError } from '../errors'
import { createStaffAccount, enableStaffTotp, generateOneTimePassword, isStaffRoleName, setStaffDisabled, setStaffPassword } from '../modules/auth/index'

const USAGE = `Staff accounts (passwords are never taken as arguments: they would stay in shell history):

  npm run staff -- create --username NAME --role ROLE --name "显示名" [--grid CODE[,CODE…] | --community CODE | --street CODE | --department CODE] [--password-stdin]
  npm run staff -- set-password --username NAME [--password-stdin]
  npm run staff -- enable-totp --username NAME
  npm run staff -- disable --username NAME
  npm run staff -- enable --username NAME

ROLE is grid_worker, community_staff, street_admin, district_admin or department_staff.
Without --password-stdin a random one-time password is generated and printed once; its owner must
change it at the first sign-in (set-password without --password-stdin does the same).
A grid worker may cover several grids of one community: --grid A,B (the first is the primary grid).
District admins get an authenticator (TOTP) at creation; the otpauth:// URI is printed once.`

async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk)
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
}

async function choosePassword(fromStdin: boolean): Promise<{ password: string; generated: boolean }> {
  return fromStdin ? { password: await readPasswordFromStdin(), generated: false } : { password: generateOneTimePassword(), generated: true }
}

type Values = { [key: string]: string | boolean | undefined }

function required(values: Values, name: string): string {
  const value = values[name]
  if (typeof value !== 'string' || !value) throw new UsageError(`--${name} is required`)
  return value
}

class UsageError extends Error {}

async function run(ds: DataSource, command: string | undefined, values: Values): Promise<void> {
  const deps = { ds, now: () => new Date() }
  const username = required(values, 'username')
  switch (command) {
    case 'create': {
      const role = required(values, 'role')
      if (!isStaffRoleName(role)) throw new UsageError(`--role must be a staff role, not ${role}`)
      const { password, generated } = await choosePassword(values['password-stdin'] === true)
      const optional = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined)
      const { user, totpUri } = await createStaffAccount(deps, {
        username,
        password,
        role,
        displayName: required(values, 'name'),
        gridCodes: optional('grid')
          ?.split(',')
          .map((code) => code.trim())
          .filter(Boolean),
        communityCode: optional('community'),
        streetCode: optional('street'),
        departmentCode: optional('department'),
        mustChangePassword: generated
      })
      console.log(`Created ${user.role} ${user.username} (${user.id}).`)
      if (generated) console.log(`One-time password (shown once; it must be changed at the first sign-in): ${password}`)
      if (totpUri) console.log(`Authenticator (add it now; shown once): ${totpUri}`)
      return
    }
    case 'set-password': {
      const { password, generated } = await choosePassword(values['password-stdin'] === true)
      const user = await setStaffPassword(deps, username, password, generated)
      console.log(`Password of ${user.username} set; the account is unlocked and its sessions ended.`)
      if (generated) console.log(`New password (shown once): ${password}`)
      return
    }
    case 'enable-totp': {
      const { user, secret, uri } = await enableStaffTotp(deps, username)
      console.log(`Authenticator for ${user.username} (shown once; the previous one stops working):\n  ${uri}\n  secret: ${secret}`)
      return
    }
    case 'disable':
    case 'enable': {
      const user = await setStaffDisabled(deps, username, command === 'disable')
      console.log(command === 'disable' ? `${user.username} is disabled and signed out everywhere.` : `${user.username} is enabled.`)
      return
    }
    default:
      throw new UsageError(`unknown command ${command ?? '(none)'}`)
  }
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      grid: { type: 'string' },
      community: { type: 'string' },
      street: { type: 'string' },
      department: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      help: { type: 'boolean' }
    }
  })
  if (values.help || positionals.length === 0) {
    console.log(USAGE)
    return
  }
  const ds = await openDatabase(loadConfig().database)
  try {
    await run(ds, positionals[0], values)
  } finally {
    await ds.destroy()
  }
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) console.error(`${err.message}\n\n${USAGE}`)
  else if (err instanceof ConfigError) console.error(err.message)
  else if (err instanceof AppError) {
    const fields = err.extra.errors?.map((e) => `\n  - ${e.path}: ${e.message}`).join('') ?? ''
    console.error(`${err.message}${fields}`)
  } else console.error(err)
  process.exit(1)
})
