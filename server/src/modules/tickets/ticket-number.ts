import { randomInt } from 'node:crypto'

/** Crockford's base32: no I, L, O, U, so a number read out over the phone is not misheard. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const RANDOM_CHARS = 6

/** The office date in Beijing time (UTC+08:00, no daylight saving), "20261128". */
function officeDate(now: Date): string {
  const beijing = new Date(now.getTime() + 8 * 60 * 60 * 1000)
  return beijing.toISOString().slice(0, 10).replace(/-/g, '')
}

/**
 * A ticket number people can read and say: "PC20261128-7KQ3MZ". Random rather than counted, so no
 * shared counter becomes a hot row or a race between instances; 30 random bits a day make a clash
 * rare, and the unique index plus a retry make it harmless.
 */
export function generateTicketNumber(now: Date): string {
  // randomInt draws from Node's pooled CSPRNG buffer (randomBytes makes a system call each time).
  let suffix = ''
  for (let i = 0; i < RANDOM_CHARS; i++) suffix += ALPHABET[randomInt(32)]
  return `PC${officeDate(now)}-${suffix}`
}
