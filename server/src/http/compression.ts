import { constants } from 'node:zlib'
import type { Middleware } from 'koa'
import compress from 'koa-compress'

/**
 * Compresses text answers (JSON, problem+json, CSV, HTML, and build files without a precompressed
 * twin) with brotli or gzip, whichever the client prefers; images and answers under 1 KB go as
 * they are. Brotli at quality 5 costs about what gzip's default does and sends ~15 % less; the
 * build's own files are precompressed at the highest quality instead (docs/performance.md).
 * Always adds `Vary: Accept-Encoding`.
 */
export function compressText(): Middleware {
  return compress({
    threshold: 1024,
    br: { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } },
    gzip: { level: 6 },
    deflate: false
  }) as unknown as Middleware
}
