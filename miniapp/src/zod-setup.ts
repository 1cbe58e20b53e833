import { config } from 'zod/v4/core'

/**
 * Mini-programs forbid dynamic code (eval/new Function); zod 4 would probe for it on first use.
 * Jitless mode skips the probe and the compiled fast path (docs/architecture.md "Taro build notes"). Imported first by app.tsx;
 * `config` comes from zod's core alone (the same settings object `z` reads) so the H5 entry bundle
 * does not carry all of zod (docs/performance.md "Lighthouse").
 */
config({ jitless: true })
