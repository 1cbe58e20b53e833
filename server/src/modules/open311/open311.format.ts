import type { Open311Error, Open311Format } from '@palm/shared'
import { XMLBuilder } from 'fast-xml-parser'
import type { Context } from 'koa'

/**
 * An Open311 refusal. These routes answer errors as the GeoReport v2 spec defines them (an array of
 * `{code, description}`, XML `<errors><error>…`), not as problem+json: third-party Open311 clients
 * parse exactly that shape (docs/open311.md, "Errors").
 */
export class Open311HttpError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly headers: Record<string, string> = {}
  ) {
    super(description)
    this.name = 'Open311HttpError'
  }
}

const builder = new XMLBuilder({ format: false, suppressEmptyNode: false })
const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'

/** A value as XML text: null becomes an empty element, booleans and numbers their plain text. */
function forXml(value: unknown): unknown {
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.map(forXml)
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, forXml(v)]))
  return String(value)
}

/** The format a path asks for: `.xml` → xml, anything else json (also for errors before the route parsed it). */
export function formatOfPath(path: string): Open311Format {
  return path.endsWith('.xml') ? 'xml' : 'json'
}

/**
 * Sends an Open311 answer: JSON as it is, or XML as `root` holding the rows (or the object) under
 * their element names. Content types carry charset=utf-8 as the issue asks.
 */
export function sendOpen311(ctx: Context, format: Open311Format, status: number, json: unknown, xml: Record<string, unknown>): void {
  ctx.status = status
  if (format === 'xml') {
    ctx.type = 'text/xml; charset=utf-8'
    ctx.body = `${XML_DECLARATION}${String(builder.build(forXml(xml)))}`
    return
  }
  ctx.type = 'application/json; charset=utf-8'
  ctx.body = JSON.stringify(json)
}

/** The spec's error answer: `[{code, description}]` or `<errors><error><code>…</code><description>…`. */
export function sendOpen311Errors(ctx: Context, status: number, descriptions: readonly string[]): void {
  const errors: Open311Error[] = descriptions.map((description) => ({ code: status, description }))
  sendOpen311(ctx, formatOfPath(ctx.path), status, errors, { errors: { error: errors } })
}

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000

/** A time as Open311 wants it, W3C with the zone: Beijing time, `2026-12-02T09:30:00+08:00`. */
export function open311Time(at: Date): string {
  return `${new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 19)}+08:00`
}
