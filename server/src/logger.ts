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
  '*.reporterId'
]

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'palm-server' } })
}
export type { Logger }
