import { Secret, TOTP } from 'otpauth'

/** RFC 6238 with the parameters every authenticator app supports: SHA-1, 6 digits, 30-second steps. */
const TOTP_PARAMS = { algorithm: 'SHA1', digits: 6, period: 30 } as const
const ISSUER = '掌上平城'

function totpFor(secretBase32: string, label = 'staff'): TOTP {
  return new TOTP({ ...TOTP_PARAMS, issuer: ISSUER, label, secret: Secret.fromBase32(secretBase32) })
}

/** A fresh 160-bit secret, base32 as authenticator apps expect. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32
}

/** The otpauth:// URI to show as a QR code when enrolling. */
export function totpUri(secretBase32: string, username: string): string {
  return totpFor(secretBase32, username).toString()
}

/** The code an authenticator shows at `at` (used by tests and by the enrolment check). */
export function totpCodeAt(secretBase32: string, at: Date): string {
  return totpFor(secretBase32).generate({ timestamp: at.getTime() })
}

/**
 * The time step the code belongs to (allowing one step of clock drift either way), or null when it
 * matches none. The step is what makes a code single-use: sign-in records the last accepted step.
 */
export function matchTotpStep(secretBase32: string, code: string, at: Date): number | null {
  const delta = totpFor(secretBase32).validate({ token: code, timestamp: at.getTime(), window: 1 })
  if (delta === null) return null
  return Math.floor(at.getTime() / 1000 / TOTP_PARAMS.period) + delta
}
