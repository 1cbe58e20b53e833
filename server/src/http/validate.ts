import type { Context } from 'koa'
import type { z } from 'zod'

/** Parses the JSON body with a shared schema; a ZodError becomes 400 `validation_failed` with field paths. */
export function parseBody<S extends z.ZodType>(ctx: Context, schema: S): z.infer<S> {
  return schema.parse((ctx.request as { body?: unknown }).body ?? {})
}

/** Parses the query string with a shared schema (values arrive as strings; schemas coerce). */
export function parseQuery<S extends z.ZodType>(ctx: Context, schema: S): z.infer<S> {
  return schema.parse(ctx.query)
}
