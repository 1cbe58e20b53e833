import type { DataSource } from 'typeorm'
import type { Config } from './config'
import type { Logger } from './logger'

/**
 * What every module router and job receives. `now` is the one clock, so tests can move time
 * (working-hour limits, token expiry) without waiting.
 */
export interface AppDeps {
  config: Config
  ds: DataSource
  log: Logger
  now: () => Date
}

/** Periodic work a module hands to the start-up (modules/lifecycle.ts lists them all). */
export interface BackgroundJob {
  name: string
  intervalMs: number
  /** One pass; must be safe with several instances running it at once (claims rows, no in-process flags). */
  run: (deps: AppDeps) => Promise<void>
}
