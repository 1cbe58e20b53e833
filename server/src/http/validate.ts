import type { Context } from 'koa'
import type { z } from 'zod'
import { pointsToStored } from './coords'

/**
 * Parses the JSON body with a shared schema; a ZodError becomes 400 `validation_failed` with field
 * paths. Points that declare a coordinate system arrive converted to the stored WGS-84 (docs/maps.md).
 */
export function parseBody<S extends z.ZodType>(ctx: Context, schema: S): z.infer<S> {
  return pointsToStored(schema.parse((ctx.request as { body?: unknown }).body ?? {}))
}

/** Parses the query string with a shared schema (values arrive as strings; schemas coerce); points as in parseBody. */
export function parseQuery<S extends z.ZodType>(ctx: Context, schema: S): z.infer<S> {
  return pointsToStored(schema.parse(ctx.query))
}
