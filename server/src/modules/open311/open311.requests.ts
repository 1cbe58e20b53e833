import {
  CreateTicketSchema,
  DEFAULT_CATEGORIES,
  OPEN311_CHANNEL,
  Open311Limits,
  PRIVATE_TICKET_KINDS,
  type CreateTicketInput,
  type Open311ListQuery,
  type Open311Posted,
  type Open311RequestView
} from '@palm/shared'
import { In, type EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { actorFromUser } from '../auth/actor'
import { Community, Department, Grid, Street } from '../territory/territory.entity'
import { NUMBER_ATTEMPTS, isTicketNumberClash, prepareTicket } from '../tickets/commands/create-ticket'
import { Publication } from '../publication/index'
import { Ticket } from '../tickets/index'
import { Open311Request } from './open311.entity'
import { Open311HttpError, open311Time } from './open311.format'
import type { KeyHolder } from './open311.keys'
import { attributesOf, type Open311Catalogue } from './open311.services'

/** The fields of a POST the spec names and this server takes. */
const ACCEPTED_FIELDS = new Set(['api_key', 'service_code', 'lat', 'long', 'address_string', 'description', 'jurisdiction_id', 'device_id', 'account_id'])
/**
 * Contact fields of the spec: refused, not stored. A third party handing over a person's name,
 * e-mail or phone needs that person's consent and a place in the residents' data rights; until
 * then nothing of the kind is taken (docs/open311.md, "Personal data").
 */
const CONTACT_FIELDS = new Set(['email', 'first_name', 'last_name', 'phone'])
const HTML = /<\s*[a-zA-Z!/?][^>]*>|&(?:lt|gt|#\d+|#x[0-9a-f]+);/i
const DECIMAL = /^[+-]?\d{1,3}(?:\.\d{1,12})?$/

function bad(description: string): never {
  throw new Open311HttpError(400, description)
}

/** A coordinate as the form sends it: a plain decimal in range, nothing else. */
function coordinate(raw: string, name: 'lat' | 'long', max: number): number {
  const value = raw.trim()
  if (!DECIMAL.test(value)) bad(`${name} must be a decimal number (WGS-84), e.g. 40.0765.`)
  const n = Number(value)
  if (!Number.isFinite(n) || Math.abs(n) > max) bad(`${name} must be between -${max} and ${max}.`)
  return n
}

/** The community an address names (its name inside the text), when exactly one community matches. */
async function locateAddress(em: EntityManager, address: string): Promise<string> {
  const communities = await em.getRepository(Community).find({ select: { code: true, name: true } })
  const matches = communities.filter((c) => c.name.length >= 2 && address.includes(c.name))
  if (matches.length !== 1 || !matches[0]) {
    bad('address_string could not be located: name one community of Pingcheng District in it (e.g. “… 示例… 社区 …”), or send lat and long.')
  }
  return matches[0].code
}

/**
 * Reads a POST requests form into the ticket it files, refusing what the issue names (unknown
 * service 404; bad coordinates, HTML, over-long text, unknown or bad attributes, contact fields 400).
 * Nothing is written here.
 */
export async function ticketInputFromForm(em: EntityManager, catalogue: Open311Catalogue, form: URLSearchParams): Promise<CreateTicketInput> {
  const seen = new Set<string>()
  for (const name of form.keys()) {
    if (seen.has(name)) bad(`${name} is given more than once.`)
    seen.add(name)
  }
  const serviceCode = form.get('service_code')?.trim()
  if (!serviceCode) bad('service_code is required.')
  const service = catalogue.byCode.get(serviceCode)
  if (!service) throw new Open311HttpError(404, `service_code ${serviceCode} is not a service of this server (GET services).`)
  const attributes = new Map(attributesOf(service.kind).map((a) => [a.code, a]))
  const details: Record<string, string | number> = {}
  for (const [name, value] of form) {
    const attr = /^attribute\[([^\]]+)\]$/.exec(name)
    if (attr?.[1] !== undefined) {
      const def = attributes.get(attr[1])
      if (!def) bad(`attribute[${attr[1]}] is not an attribute of service ${serviceCode} (GET services/${serviceCode}).`)
      if (HTML.test(value)) bad(`attribute[${attr[1]}] must be plain text, without HTML.`)
      if (def.datatype === 'number') {
        const n = Number(value.trim())
        if (value.trim() === '' || !Number.isFinite(n)) bad(`attribute[${attr[1]}] must be a number.`)
        details[attr[1]] = n
      } else {
        details[attr[1]] = value
      }
      continue
    }
    if (CONTACT_FIELDS.has(name)) bad(`${name} is not accepted: this server takes no personal contact data through Open311.`)
    if (name === 'media_url') bad('media_url is not accepted yet: photos reach a ticket through the mini-program only.')
    if (name === 'address_id') bad('address_id is not supported here: send lat and long, or address_string.')
    if (!ACCEPTED_FIELDS.has(name)) bad(`${name} is not a field of POST requests.`)
  }
  const description = form.get('description')?.trim() ?? ''
  if (!description) bad('description is required.')
  if (Array.from(description).length > Open311Limits.specDescriptionMax) bad(`description is longer than ${Open311Limits.specDescriptionMax} characters.`)
  if (Array.from(description).length > Open311Limits.descriptionMax) bad(`description is longer than ${Open311Limits.descriptionMax} characters (this server's limit).`)
  if (HTML.test(description)) bad('description must be plain text, without HTML.')

  const rawLat = form.get('lat')
  const rawLong = form.get('long')
  const address = form.get('address_string')?.trim() ?? ''
  if (HTML.test(address)) bad('address_string must be plain text, without HTML.')
  if (Array.from(address).length > 200) bad('address_string is longer than 200 characters.')
  let location: { lat: number; lng: number } | undefined
  let communityCode: string | undefined
  if (rawLat !== null || rawLong !== null) {
    if (rawLat === null || rawLong === null) bad('lat and long come together.')
    location = { lat: coordinate(rawLat, 'lat', 90), lng: coordinate(rawLong, 'long', 180) }
  } else if (address) {
    communityCode = await locateAddress(em, address)
  } else {
    bad('Send lat and long, or address_string.')
  }
  return {
    kind: service.kind,
    category: serviceCode,
    description,
    ...(location ? { location } : {}),
    ...(communityCode ? { communityCode } : {}),
    ...(address ? { address } : {}),
    // Open311 requests are public requests, as on every GeoReport server: a report is published
    // (masked, content-checked) once resolved; tips never are.
    allowPublication: service.kind === 'report',
    anonymous: false,
    ...(Object.keys(details).length ? { details } : {})
  }
}

/**
 * Files the ticket through the submission path every ticket takes (routing, clocks, events,
 * notices) and records its channel and key in the same transaction.
 * @throws ZodError / AppError from the ticket schema and routing (answered as 400 by the routes)
 */
export async function postRequest(deps: AppDeps, holder: KeyHolder, rawInput: CreateTicketInput): Promise<Open311Posted> {
  const input = CreateTicketSchema.parse(rawInput)
  const actor = actorFromUser({ id: holder.user.id, role: 'resident', displayName: holder.user.displayName, gridCode: null, communityCode: null, streetCode: null, departmentCode: null })
  for (let attempt = 1; ; attempt++) {
    const prepared = await prepareTicket(deps.ds.manager, deps, actor, input)
    prepared.writes.insert(Open311Request, [
      Object.assign(new Open311Request(), { ticketId: prepared.ticket.id, keyId: holder.key.id, channel: OPEN311_CHANNEL, createdAt: prepared.ticket.createdAt })
    ])
    try {
      await prepared.writes.commit(deps.ds)
      return {
        service_request_id: prepared.ticket.number,
        service_notice: `已受理，将在 ${open311Time(prepared.ticket.acceptDueAt)} 前签收。`,
        account_id: null
      }
    } catch (err) {
      if (!isTicketNumberClash(err) || attempt >= NUMBER_ATTEMPTS) throw err
    }
  }
}

const categoryName = (code: string) => DEFAULT_CATEGORIES.find((c) => c.code === code)?.name ?? code

/** The names and community centres the rows need, in four small queries. */
async function loadPlaces(em: EntityManager, tickets: readonly Ticket[]) {
  const communityCodes = [...new Set(tickets.map((t) => t.communityCode).filter((c): c is string => Boolean(c)))]
  const streetCodes = [...new Set(tickets.map((t) => t.streetCode).filter((c): c is string => Boolean(c)))]
  const departmentCodes = [...new Set(tickets.map((t) => t.departmentCode).filter((c): c is string => Boolean(c)))]
  const [communities, streets, departments, boxes] = await Promise.all([
    communityCodes.length ? em.getRepository(Community).find({ select: { code: true, name: true }, where: { code: In(communityCodes) } }) : [],
    streetCodes.length ? em.getRepository(Street).find({ select: { code: true, name: true }, where: { code: In(streetCodes) } }) : [],
    departmentCodes.length ? em.getRepository(Department).find({ select: { code: true, name: true }, where: { code: In(departmentCodes) } }) : [],
    communityCodes.length
      ? (em
          .getRepository(Grid)
          .createQueryBuilder('g')
          .select('g.community_code', 'code')
          .addSelect('MIN(g.min_lat)', 'minLat')
          .addSelect('MAX(g.max_lat)', 'maxLat')
          .addSelect('MIN(g.min_lng)', 'minLng')
          .addSelect('MAX(g.max_lng)', 'maxLng')
          .where('g.community_code IN (:...codes)', { codes: communityCodes })
          .groupBy('g.community_code')
          .getRawMany() as Promise<{ code: string; minLat: number | string; maxLat: number | string; minLng: number | string; maxLng: number | string }[]>)
      : []
  ])
  const round = (n: number) => Math.round(n * 1e5) / 1e5
  return {
    community: new Map(communities.map((c) => [c.code, c.name])),
    street: new Map(streets.map((s) => [s.code, s.name])),
    department: new Map(departments.map((d) => [d.code, d.name])),
    centre: new Map(boxes.map((b) => [b.code, { lat: round((Number(b.minLat) + Number(b.maxLat)) / 2), long: round((Number(b.minLng) + Number(b.maxLng)) / 2) }]))
  }
}
type Places = Awaited<ReturnType<typeof loadPlaces>>

/** Who handles it, as the public may know: the department, else the community, street or district. */
function agencyOf(t: Ticket, places: Places): string {
  if (t.level === 'department' && t.departmentCode) return places.department.get(t.departmentCode) ?? '平城区'
  if ((t.level === 'grid' || t.level === 'community') && t.communityCode) return places.community.get(t.communityCode) ?? '平城区'
  if (t.level === 'street' && t.streetCode) return places.street.get(t.streetCode) ?? '平城区'
  return '平城区'
}

function statusOf(t: Ticket): 'open' | 'closed' {
  return t.stateGroup === 'done' ? 'closed' : 'open'
}

/** A published request: the board's masked text and reply, the community for the address, its centre for the point. */
function presentPublished(t: Ticket, p: Publication, places: Places): Open311RequestView {
  const centre = t.communityCode ? places.centre.get(t.communityCode) : undefined
  return {
    service_request_id: t.number,
    status: statusOf(t),
    status_notes: p.reply,
    service_name: categoryName(t.category),
    service_code: t.category,
    description: p.body,
    agency_responsible: agencyOf(t, places),
    service_notice: null,
    requested_datetime: open311Time(t.createdAt),
    updated_datetime: open311Time(t.updatedAt),
    expected_datetime: open311Time(t.dueAt),
    address: p.communityName,
    address_id: null,
    zipcode: null,
    lat: centre?.lat ?? null,
    long: centre?.long ?? null,
    media_url: null
  }
}

/** A request its own key asks about before publication: the state and times, nothing of its content or place. */
function presentStatusOnly(t: Ticket): Open311RequestView {
  return {
    service_request_id: t.number,
    status: statusOf(t),
    status_notes: null,
    service_name: categoryName(t.category),
    service_code: t.category,
    description: null,
    agency_responsible: null,
    service_notice: null,
    requested_datetime: open311Time(t.createdAt),
    updated_datetime: open311Time(t.updatedAt),
    expected_datetime: open311Time(t.dueAt),
    address: null,
    address_id: null,
    zipcode: null,
    lat: null,
    long: null,
    media_url: null
  }
}

/** Shown to anyone: published on the board, not anonymous, not a private kind. */
function isPublic(t: Ticket): boolean {
  return !t.anonymous && !(PRIVATE_TICKET_KINDS as readonly string[]).includes(t.kind)
}

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * The search window: both dates, one of them (the other 90 days away), or none (the last 90 days,
 * as the spec says). Wider than 90 days or reversed → 400.
 */
export function windowOf(query: Pick<Open311ListQuery, 'start_date' | 'end_date'>, now: Date): { from: Date; to: Date } {
  const span = Open311Limits.windowDays * DAY_MS
  const start = query.start_date ? new Date(query.start_date) : undefined
  const end = query.end_date ? new Date(query.end_date) : undefined
  const from = start ?? new Date((end ?? now).getTime() - span)
  const to = end ?? (start ? new Date(start.getTime() + span) : now)
  if (to.getTime() < from.getTime()) bad('end_date is before start_date.')
  if (to.getTime() - from.getTime() > span) bad(`start_date and end_date may not span more than ${Open311Limits.windowDays} days.`)
  return { from, to }
}

/**
 * `GET requests`: what the public board shows, newest first, at most Open311Limits.listMax rows.
 * With service_request_id the other filters are ignored (the spec).
 */
export async function listRequests(em: EntityManager, deps: AppDeps, catalogue: Open311Catalogue, query: Open311ListQuery): Promise<Open311RequestView[]> {
  const qb = em.getRepository(Publication).createQueryBuilder('p').where("p.state = 'published'").orderBy('p.submitted_at', 'DESC').addOrderBy('p.ticket_id', 'DESC').limit(Open311Limits.listMax)
  if (query.service_request_id) {
    qb.andWhere('p.number IN (:...ids)', { ids: query.service_request_id })
  } else {
    if (query.service_code !== undefined && !catalogue.byCode.has(query.service_code)) throw new Open311HttpError(404, `service_code ${query.service_code} is not a service of this server.`)
    const { from, to } = windowOf(query, deps.now())
    qb.andWhere('p.submitted_at >= :from AND p.submitted_at <= :to', { from, to })
    if (query.service_code) qb.andWhere('p.category = :code', { code: query.service_code })
  }
  const publications = await qb.getMany()
  if (!publications.length) return []
  const tickets = await em.getRepository(Ticket).findBy({ id: In(publications.map((p) => p.ticketId)) })
  const byId = new Map(tickets.filter(isPublic).map((t) => [t.id, t]))
  const wanted = query.service_request_id ? undefined : query.status
  const rows = publications.flatMap((p) => {
    const t = byId.get(p.ticketId)
    return t && (!wanted || statusOf(t) === wanted) ? [{ t, p }] : []
  })
  const places = await loadPlaces(
    em,
    rows.map((r) => r.t)
  )
  return rows.map(({ t, p }) => presentPublished(t, p, places))
}

/**
 * `GET requests/{id}`: a published request to anyone; before publication (or a tip of any kind)
 * only to the key that filed it, as state and times; 404 to everyone else, whether it exists or not.
 */
export async function getRequest(em: EntityManager, id: string, holder: KeyHolder | undefined): Promise<Open311RequestView> {
  const notFound = () => new Open311HttpError(404, `service_request_id ${id} was not found.`)
  const ticket = await em.getRepository(Ticket).findOneBy({ number: id })
  if (!ticket) throw notFound()
  const publication = await em.getRepository(Publication).findOneBy({ ticketId: ticket.id })
  if (publication?.state === 'published' && isPublic(ticket)) {
    const places = await loadPlaces(em, [ticket])
    return presentPublished(ticket, publication, places)
  }
  if (holder) {
    const own = await em.getRepository(Open311Request).findOneBy({ ticketId: ticket.id, keyId: holder.key.id })
    if (own) return presentStatusOnly(ticket)
  }
  throw notFound()
}
