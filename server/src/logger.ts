import { pino, type Logger } from 'pino'

/**
 * Paths that must never reach a log line: tokens, passwords, WeChat session keys, and the reporter of
 * an anonymous tip (callers log ids, never people, but the redaction is the safety net).
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.newPassword',
  '*.totp',
  '*.refreshToken',
  '*.accessToken',
  '*.session_key',
  '*.sessionKey',
  '*.openid',
  '*.unionid',
  '*.access_token',
  '*.secret',
  '*.reporterId',
  // A failed query carries its bound values (TypeORM `parameters`; mysql2 also the SQL with the values
  // spliced in): openids, phones, reporter ids. The statement text (`query`) and the message stay.
  'err.parameters',
  'err.sql',
  'err.driverError.sql',
  'err.driverError.parameters'
]

/** The process logger; `destination` (any object with `write`) is for tests that read the lines. */
export function createLogger(level: string, destination?: { write: (line: string) => void }): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'palm-server' } }
  return destination ? pino(options, destination) : pino(options)
}
export type { Logger }
