import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { DEFAULT_RETENTION_CLOSED_TICKET_DAYS, MIN_RETENTION_CLOSED_TICKET_DAYS, type MapTilesView } from '@palm/shared'

const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true' || v === 'yes')

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATABASE_URL: z
      .string()
      .regex(/^(mysql|mariadb):\/\/.+/, 'must be mysql://user:pass@host:port/db or mariadb://…')
      .optional()
      .or(z.literal('').transform(() => undefined)),
    DB_POOL: z.coerce.number().int().min(1).max(200).default(10),
    DB_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
    DB_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(3000),
    SHUTDOWN_DRAIN_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    DATA_DIR: z.string().default('./data'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    JWT_ISSUER: z.string().default('palm-pingcheng'),
    JWT_AUDIENCE: z.string().default('palm-pingcheng-api'),
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean)
      ),
    TRUST_PROXY: booleanFlag,
    /** Proxies in front of the app that append to X-Forwarded-For (the client address is that many entries from the right). */
    TRUST_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
    BODY_LIMIT_KB: z.coerce.number().int().min(1).max(10_240).default(100),
    UPLOAD_MAX_MB: z.coerce.number().int().min(1).max(50).default(10),
    RATE_LIMIT_SCALE: z.coerce.number().positive().max(1_000_000).default(1),
    WECHAT_API_BASE: z.string().url().default('https://api.weixin.qq.com'),
    WECHAT_APPID: z.string().default(''),
    WECHAT_SECRET: z.string().default(''),
    WECHAT_WEB_APPID: z.string().default(''),
    WECHAT_WEB_SECRET: z.string().default(''),
    WECHAT_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(5000),
    WECHAT_TEMPLATE_IDS: z.string().default(''),
    SEED_DEMO: booleanFlag,
    H5_DIR: z.string().default(''),
    JOBS: z.enum(['on', 'off']).default('on'),
    /** Seconds between an instance's checks of the territory version (docs/territory-import.md). */
    TERRITORY_POLL_SECONDS: z.coerce.number().min(0.05).max(30).default(5),
    /** WeChat sends in flight at once per instance (docs/messages.md). */
    RELAY_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(64),
    /** WeChat sends per second per instance at most; 0 = no cap. */
    RELAY_MAX_PER_SECOND: z.coerce.number().int().min(0).max(10_000).default(0),
    // docs/residents-data.md: closed tickets' contact data is anonymised this many days after closing.
    RETENTION_CLOSED_TICKET_DAYS: z.coerce.number().int().min(MIN_RETENTION_CLOSED_TICKET_DAYS).max(36_500).default(DEFAULT_RETENTION_CLOSED_TICKET_DAYS),
    // docs/maps.md: the H5 map's tiles. none = the district's grid layer only (works with no tile server).
    MAP_TILES: z.enum(['none', 'tianditu', 'custom']).default('none'),
    /** Tianditu's browser key (tk), shown to every browser that opens the map: a key restricted to the site's domain. */
    MAP_TILE_KEY: z.string().default(''),
    /** custom: a Leaflet URL template ({s} {z} {x} {y}), e.g. Tencent's tiles. */
    MAP_TILE_URL: z.string().default(''),
    MAP_TILE_SUBDOMAINS: z.string().default(''),
    MAP_TILE_ATTRIBUTION: z.string().default(''),
    /** What the custom tiles are drawn in: Tencent and Amap gcj02, Tianditu and OSM wgs84. */
    MAP_TILE_COORD_SYSTEM: z.enum(['wgs84', 'gcj02', 'bd09']).default('wgs84')
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production') {
      if (!env.DATABASE_URL) ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required in production (the embedded SQLite file is for demos)' })
      if (!env.JWT_SECRET) ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required in production' })
      if (env.MAP_TILES === 'tianditu' && !env.MAP_TILE_KEY) ctx.addIssue({ code: 'custom', path: ['MAP_TILE_KEY'], message: 'is required with MAP_TILES=tianditu' })
      if (env.MAP_TILES === 'custom' && !/^https:\/\//.test(env.MAP_TILE_URL)) ctx.addIssue({ code: 'custom', path: ['MAP_TILE_URL'], message: 'must be an https URL template with MAP_TILES=custom' })
      if (!env.WECHAT_APPID || !env.WECHAT_SECRET) ctx.addIssue({ code: 'custom', path: ['WECHAT_APPID'], message: 'WECHAT_APPID and WECHAT_SECRET are required in production' })
    }
  })

export type Env = z.input<typeof EnvSchema>

export interface Config {
  readonly env: 'development' | 'production' | 'test'
  readonly host: string
  readonly port: number
  readonly database: { readonly kind: 'mysql' | 'mariadb'; readonly url: string; readonly pool: number } | { readonly kind: 'sqlite'; readonly file: string }
  /** Bounds on every database wait, so a database that stops answering gives 503 in seconds (docs/operations.md). */
  readonly dbLimits: DatabaseLimits
  /** SIGTERM: /readyz answers 503 for drainDelayMs first, then the listener closes; timeoutMs caps the drain. */
  readonly shutdown: { readonly drainDelayMs: number; readonly timeoutMs: number }
  readonly dataDir: string
  readonly uploadsDir: string
  readonly logLevel: string
  /** Demo mode: embedded database and not production. Demo sign-in and seeding exist only here. */
  readonly demoMode: boolean
  readonly seedDemo: boolean
  readonly jwt: { readonly secret: string; readonly issuer: string; readonly audience: string }
  readonly corsOrigins: readonly string[]
  readonly trustProxy: boolean
  /** With trustProxy: how many proxies append to X-Forwarded-For; the client is that many entries from the right. */
  readonly trustProxyHops: number
  readonly bodyLimitBytes: number
  readonly uploadMaxBytes: number
  /** Multiplies every RATE_LIMITS max (shared); 1 in production, larger only for benchmarks (docs/operations.md "Limits"). */
  readonly rateLimitScale: number
  readonly wechat: {
    readonly apiBase: string
    readonly appId: string
    readonly secret: string
    readonly webAppId: string
    readonly webSecret: string
    readonly timeoutMs: number
    readonly templateIds: Readonly<Record<string, string>>
  }
  readonly h5Dir: string
  readonly jobs: boolean
  /** How often each instance checks whether a territory import changed the grids (≤ 30 s). */
  readonly territoryPollMs: number
  /** The WeChat relay's pace per instance (docs/messages.md). */
  readonly relay: { readonly concurrency: number; readonly maxPerSecond: number }
  /** Days after closing before a ticket's contact data is anonymised (docs/residents-data.md). */
  readonly retentionClosedTicketDays: number
  /** The H5 map's tile source, or null for the grid layer only (docs/maps.md). */
  readonly mapTiles: MapTilesView | null
}

/** How long one query may run, and how long a request may wait for a pooled connection (or SQLite's lock). */
export interface DatabaseLimits {
  readonly queryTimeoutMs: number
  readonly acquireTimeoutMs: number
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
}

/**
 * Reads the environment once into a frozen Config. Throws ConfigError listing every problem, so main
 * can print them all and exit non-zero instead of failing on the first.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`))
  }
  const e = parsed.data
  const dataDir = path.resolve(e.DATA_DIR)
  const demoMode = !e.DATABASE_URL && e.NODE_ENV !== 'production'
  const database: Config['database'] = e.DATABASE_URL
    ? { kind: e.DATABASE_URL.startsWith('mariadb:') ? 'mariadb' : 'mysql', url: e.DATABASE_URL.replace(/^mariadb:/, 'mysql:'), pool: e.DB_POOL }
    : { kind: 'sqlite', file: path.join(dataDir, 'palm.sqlite') }
  return Object.freeze({
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    database,
    dbLimits: { queryTimeoutMs: e.DB_QUERY_TIMEOUT_MS, acquireTimeoutMs: e.DB_ACQUIRE_TIMEOUT_MS },
    shutdown: { drainDelayMs: e.SHUTDOWN_DRAIN_DELAY_MS, timeoutMs: e.SHUTDOWN_TIMEOUT_MS },
    dataDir,
    uploadsDir: path.join(dataDir, 'uploads'),
    logLevel: e.LOG_LEVEL,
    demoMode,
    seedDemo: demoMode || e.SEED_DEMO,
    jwt: { secret: e.JWT_SECRET ?? localDevSecret(dataDir), issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE },
    corsOrigins: e.CORS_ORIGINS,
    trustProxy: e.TRUST_PROXY,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    bodyLimitBytes: e.BODY_LIMIT_KB * 1024,
    uploadMaxBytes: e.UPLOAD_MAX_MB * 1024 * 1024,
    rateLimitScale: e.RATE_LIMIT_SCALE,
    wechat: {
      apiBase: e.WECHAT_API_BASE.replace(/\/$/, ''),
      appId: e.WECHAT_APPID,
      secret: e.WECHAT_SECRET,
      webAppId: e.WECHAT_WEB_APPID || e.WECHAT_APPID,
      webSecret: e.WECHAT_WEB_SECRET || e.WECHAT_SECRET,
      timeoutMs: e.WECHAT_TIMEOUT_MS,
      templateIds: parseTemplateIds(e.WECHAT_TEMPLATE_IDS)
    },
    h5Dir: e.H5_DIR ? path.resolve(e.H5_DIR) : path.resolve(import.meta.dirname, '../../miniapp/dist/h5'),
    jobs: e.JOBS === 'on',
    territoryPollMs: Math.round(e.TERRITORY_POLL_SECONDS * 1000),
    relay: { concurrency: e.RELAY_CONCURRENCY, maxPerSecond: e.RELAY_MAX_PER_SECOND },
    retentionClosedTicketDays: e.RETENTION_CLOSED_TICKET_DAYS,
    mapTiles: mapTilesOf(e)
  })
}

/** "ticket_update=TEMPLATE1,booking_reminder=TEMPLATE2" → a map from our event kind to WeChat's template id. */
function parseTemplateIds(raw: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const pair of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [key, value] = pair.split('=')
    if (key && value) out[key.trim()] = value.trim()
  }
  return out
}

/**
 * Outside production a missing JWT_SECRET gets a random one kept in DATA_DIR, so tokens survive a
 * restart of `npm start` without asking a newcomer to invent a secret.
 */
function localDevSecret(dataDir: string): string {
  const file = path.join(dataDir, 'jwt-secret')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  const secret = randomBytes(48).toString('base64url')
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(file, secret, { mode: 0o600 })
  return secret
}

/** A config for tests: demo mode on the given database, overrides applied last. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const base = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'test-secret-test-secret-test-secret-0123', LOG_LEVEL: 'silent', JOBS: 'off' })
  return Object.freeze({ ...base, ...overrides })
}

/**
 * The tile source the H5 map is told about in /api/meta (docs/maps.md). Tianditu draws in CGCS2000,
 * which is WGS-84 to a few centimetres, so its tiles line up with the stored grids as they are.
 */
function mapTilesOf(e: z.output<typeof EnvSchema>): MapTilesView | null {
  if (e.MAP_TILES === 'tianditu') {
    const layer = (name: string) =>
      `https://t{s}.tianditu.gov.cn/${name}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${name}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(e.MAP_TILE_KEY)}`
    return { provider: 'tianditu', urls: [layer('vec'), layer('cva')], subdomains: '01234567', attribution: '天地图', coordSystem: 'wgs84', maxZoom: 18 }
  }
  if (e.MAP_TILES === 'custom' && e.MAP_TILE_URL) {
    return { provider: 'custom', urls: [e.MAP_TILE_URL], subdomains: e.MAP_TILE_SUBDOMAINS, attribution: e.MAP_TILE_ATTRIBUTION, coordSystem: e.MAP_TILE_COORD_SYSTEM, maxZoom: 18 }
  }
  return null
}
