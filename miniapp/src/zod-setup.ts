import { z } from 'zod'

/**
 * Mini-programs forbid dynamic code (eval/new Function); zod 4 would probe for it on first use.
 * Jitless mode skips the probe and the compiled fast path (docs/architecture.md "Taro build notes"). Imported first by app.tsx.
 */
z.config({ jitless: true })
