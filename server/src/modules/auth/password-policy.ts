import { readFileSync } from 'node:fs'
import path from 'node:path'
import { AuthLimits } from '@palm/shared'
import { BadRequestError } from '../../errors'

let commonPasswords: ReadonlySet<string> | undefined

/** The bundled blocklist (common-passwords.txt beside this file), read once on first use. */
function loadCommonPasswords(): ReadonlySet<string> {
  if (!commonPasswords) {
    const text = readFileSync(path.join(import.meta.dirname, 'common-passwords.txt'), 'utf8')
    commonPasswords = new Set(text.split('\n').filter((line) => line && !line.startsWith('#')))
  }
  return commonPasswords
}

const LEET: Readonly<Record<string, string>> = { '@': 'a', '4': 'a', '0': 'o', '1': 'i', '!': 'i', '3': 'e', $: 's', '5': 's', '7': 't' }

/**
 * The forms of a password an attacker's list would try first: as typed (lowercased), without the
 * digits and symbols people tack on at either end ("Password1!"), and with leetspeak undone
 * ("P@ssw0rd").
 */
function guessableForms(password: string): string[] {
  const lower = password.toLowerCase()
  const core = lower.replace(/^[\d\W_]+/u, '').replace(/[\d\W_]+$/u, '')
  const forms = [lower]
  if (core.length >= 4) forms.push(core)
  const unleet = (s: string) => [...s].map((c) => LEET[c] ?? c).join('')
  forms.push(unleet(lower))
  const unleetCore = unleet(lower)
    .replace(/^[\d\W_]+/u, '')
    .replace(/[\d\W_]+$/u, '')
  if (unleetCore.length >= 4) forms.push(unleetCore)
  return forms
}

function characterClasses(password: string): number {
  const classes = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u]
  return classes.filter((re) => re.test(password)).length
}

/**
 * Why a staff password is not acceptable, or null when it is. The rule (docs/security.md AUTH-1):
 * 10 to 128 characters, at least three of lower case, upper case, digits and other characters
 * (等保 complexity), not one of the 20,000 most common passwords in any of its guessable forms, and
 * not containing the username.
 */
export function passwordWeakness(password: string, username?: string | null): string | null {
  const length = [...password].length
  if (length < AuthLimits.passwordMinLength) return `must be at least ${AuthLimits.passwordMinLength} characters`
  if (length > AuthLimits.passwordMaxLength) return `must be at most ${AuthLimits.passwordMaxLength} characters`
  if (characterClasses(password) < 3) return 'must mix at least three of: lower case, upper case, digits, other characters'
  const common = loadCommonPasswords()
  if (guessableForms(password).some((form) => common.has(form))) return 'is too common; choose one that is not on lists of leaked passwords'
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) return 'must not contain the username'
  return null
}

/**
 * Enforces the password policy where a password is set (staff CLI and `POST /api/me/password`).
 * @throws BadRequestError 400 `weak_password`, with the field path
 */
export function assertStrongPassword(password: string, username: string | null | undefined, field = 'newPassword'): void {
  const weakness = passwordWeakness(password, username)
  if (weakness) throw new BadRequestError('weak_password', `The password ${weakness}.`, [{ path: field, code: 'weak_password', message: weakness }])
}
