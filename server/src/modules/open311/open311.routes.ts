import Router from '@koa/router'
import { OPEN311_JURISDICTION_ID, Open311FormatSchema, Open311ListQuerySchema, type Open311Format } from '@palm/shared'
import type { Context, Middleware, Next } from 'koa'
import { ZodError } from 'zod'
import type { AppDeps } from '../../deps'
import { AppError } from '../../errors'
import { Open311HttpError, sendOpen311, sendOpen311Errors } from './open311.format'
import { recordKeyUse, takeKeyRate, requireKey, type KeyHolder } from './open311.keys'
import { getRequest, listRequests, postRequest, ticketInputFromForm } from './open311.requests'
import { attributesOf, loadCatalogue } from './open311.services'

export const OPEN311_PREFIX = '/open311/v2'
/** Form bodies of POST requests: a description of 4,000 characters in UTF-8 and the rest fit well within. */
const FORM_LIMIT_BYTES = 64 * 1024
/** When this implementation's interface last changed (discovery's changeset). */
const CHANGESET = '2026-12-02T00:00:00+08:00'

function formatOf(ctx: Context): Open311Format {
  const parsed = Open311FormatSchema.safeParse(ctx.params.format)
  if (!parsed.success) throw new Open311HttpError(404, 'Use .json or .xml.')
  return parsed.data
}

/** The spec's error array for every refusal of these routes (never problem+json; docs/open311.md). */
function open311Errors(deps: AppDeps): Middleware {
  return async function open311ErrorsMiddleware(ctx: Context, next: Next) {
    // Public, read-only data: any web page may read it (no credentials are involved).
    ctx.set('Access-Control-Allow-Origin', '*')
    ctx.set('Cross-Origin-Resource-Policy', 'cross-origin')
    try {
      await next()
    } catch (err) {
      if (err instanceof Open311HttpError) {
        ctx.set(err.headers)
        return sendOpen311Errors(ctx, err.status, [err.description])
      }
      if (err instanceof ZodError)
        return sendOpen311Errors(
          ctx,
          400,
          err.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`)
        )
      if (err instanceof AppError && err.status < 500) {
        const fields = err.extra.errors?.map((e) => `${e.path}: ${e.message}`) ?? []
        return sendOpen311Errors(ctx, err.status, [err.message, ...fields])
      }
      deps.log.error({ err, requestId: String(ctx.state.requestId ?? ''), path: ctx.path }, 'open311 request failed')
      sendOpen311Errors(ctx, 500, ['The server could not answer; try again later.'])
    }
  }
}

/** Reads a form body as the spec sends it (application/x-www-form-urlencoded), within the limit. */
async function readForm(ctx: Context): Promise<URLSearchParams> {
  if (!ctx.is('application/x-www-form-urlencoded')) throw new Open311HttpError(400, 'Send the request as application/x-www-form-urlencoded.')
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of ctx.req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
    size += buf.length
    if (size > FORM_LIMIT_BYTES) throw new Open311HttpError(400, `The form is larger than ${FORM_LIMIT_BYTES / 1024} KB.`)
    chunks.push(buf)
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

/**
 * GeoReport v2 under /open311/v2 (docs/open311.md): discovery, services, service definitions,
 * requests (POST with api_key; GET public, as the public board shows them).
 */
export function createOpen311Router(deps: AppDeps): Router {
  const router = new Router({ prefix: OPEN311_PREFIX })
  router.use(open311Errors(deps))

  /** A keyed call: the key checked, its rate taken and its use recorded (the audit point) before anything else. */
  async function keyed(ctx: Context, raw: string | undefined): Promise<KeyHolder> {
    const holder = await requireKey(deps.ds.manager, raw)
    await recordKeyUse(deps.ds, deps, holder, { method: ctx.method, path: ctx.path })
    await takeKeyRate(deps, holder.key.id)
    return holder
  }

  router.get('/discovery.:format', function discovery(ctx) {
    const format = formatOf(ctx)
    const body = {
      changeset: CHANGESET,
      contact: '平城区人民政府办公室 · 掌上平城 (12345)',
      key_service: '向平城区区级管理员申请 API key（管理 → Open311 密钥）',
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: `${ctx.protocol}://${ctx.host}${OPEN311_PREFIX}`,
          changeset: CHANGESET,
          type: 'production',
          formats: ['text/xml', 'application/json']
        }
      ]
    }
    const xmlEndpoints = body.endpoints.map((e) => ({ ...e, formats: { format: e.formats } }))
    sendOpen311(ctx, format, 200, body, { discovery: { ...body, endpoints: { endpoint: xmlEndpoints } } })
  })

  router.get('/services.:format', async function services(ctx) {
    const format = formatOf(ctx)
    const { services: list } = await loadCatalogue(deps.ds.manager)
    sendOpen311(ctx, format, 200, list, { services: { service: list } })
  })

  router.get('/services/:code.:format', async function serviceDefinition(ctx) {
    const format = formatOf(ctx)
    const code = String(ctx.params.code)
    const service = (await loadCatalogue(deps.ds.manager)).byCode.get(code)
    if (!service) throw new Open311HttpError(404, `service_code ${code} is not a service of this server.`)
    const attributes = attributesOf(service.kind)
    const xmlAttributes = attributes.map((a) => ({ ...a, ...(a.values ? { values: { value: a.values } } : {}) }))
    sendOpen311(ctx, format, 200, { service_code: code, attributes }, { service_definition: { service_code: code, attributes: { attribute: xmlAttributes } } })
  })

  router.post('/requests.:format', async function postServiceRequest(ctx) {
    const format = formatOf(ctx)
    const form = await readForm(ctx)
    const holder = await keyed(ctx, form.get('api_key') ?? undefined)
    const jurisdiction = form.get('jurisdiction_id')
    if (jurisdiction !== null && jurisdiction !== OPEN311_JURISDICTION_ID) throw new Open311HttpError(404, `jurisdiction_id ${jurisdiction} is not served here (use ${OPEN311_JURISDICTION_ID}).`)
    const catalogue = await loadCatalogue(deps.ds.manager)
    const input = await ticketInputFromForm(deps.ds.manager, catalogue, form)
    const posted = await postRequest(deps, holder, input)
    sendOpen311(ctx, format, 200, [posted], { service_requests: { request: [posted] } })
  })

  router.get('/requests.:format', async function listServiceRequests(ctx) {
    const format = formatOf(ctx)
    const query = Open311ListQuerySchema.parse(ctx.query)
    if (query.api_key) await keyed(ctx, query.api_key)
    const rows = await listRequests(deps.ds.manager, deps, await loadCatalogue(deps.ds.manager), query)
    sendOpen311(ctx, format, 200, rows, { service_requests: { request: rows } })
  })

  router.get('/requests/:id.:format', async function getServiceRequest(ctx) {
    const format = formatOf(ctx)
    const apiKey = typeof ctx.query.api_key === 'string' ? ctx.query.api_key : undefined
    const holder = apiKey ? await keyed(ctx, apiKey) : undefined
    const row = await getRequest(deps.ds.manager, String(ctx.params.id), holder)
    sendOpen311(ctx, format, 200, [row], { service_requests: { request: [row] } })
  })

  return router
}

/** The body parser of the JSON API leaves Open311 alone: its POST is a form, read by the route itself. */
export function exceptOpen311(mw: Middleware): Middleware {
  return function exceptOpen311Middleware(ctx, next) {
    return ctx.path.startsWith(`${OPEN311_PREFIX}/`) ? next() : mw(ctx, next)
  }
}
