import { z } from 'zod'

/**
 * Mini-programs forbid dynamic code (eval/new Function); zod 4 would probe for it on first use.
 * Jitless mode skips the probe and the compiled fast path (style.md §9). Imported first by app.tsx.
 */
z.config({ jitless: true })
