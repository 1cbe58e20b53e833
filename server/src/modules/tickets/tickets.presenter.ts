import {
  STATE_GROUP,
  TICKET_EVENTS,
  availableEvents,
  isStaffRole,
  nextState,
  roleMayFire,
  type RoutingLevel,
  type Role,
  type TicketAttachmentView,
  type TicketDetailView,
  type TicketEventView,
  type TicketListItem,
  type TicketKind,
  type TicketState,
  type TicketSummaryView,
  type TicketView,
  type TimelineEvent
} from '@palm/shared'
import { In, type EntityManager } from 'typeorm'
import type { AppDeps } from '../../deps'
import { User } from '../auth/user.entity'
import { maskName } from '../routing/index'
import { getCategory } from '../sla/index'
import { Community, Department, Grid, Street } from '../territory/territory.entity'
import { findUploads, signUploadUrl, type Upload } from '../uploads/index'
import type { PreparedTicket } from './commands/create-ticket'
import { Ticket, TicketAttachment, TicketCohandler, TicketEventRow, TicketFollower } from './ticket.entity'
import { handlingFields, offersAction } from './handling.presenter'
import { isSystemActor, type TicketActor } from './ticket-actor'
import { mayActOn, type TicketRelation } from './tickets.policy'
import { seesWholeTicket } from './tickets.visibility.policy'
import { loadReporterNames, presentPublicTicket, summarisePublic, type PublicLookups } from './tickets.public-presenter'
import { presentPoint } from '../../http/coords'

type CodeName = { code: string; name: string }

/** Everything the views of a page of tickets need besides the tickets, loaded with one query per table. */
interface Lookups {
  grids: Map<string, string>
  communities: Map<string, string>
  streets: Map<string, string>
  departments: Map<string, string>
  users: Map<string, { id: string; displayName: string; role: Role }>
  categories: Map<string, string>
  followed: Set<string>
  /** 协办 departments per ticket (only tickets with `cohandled` are looked up). */
  cohandlers: Map<string, CodeName[]>
}

function distinct(values: Array<string | null>): string[] {
  return [...new Set(values.filter((v): v is string => !!v))]
}

async function nameMap(em: EntityManager, entity: typeof Grid | typeof Community | typeof Street | typeof Department, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map()
  const rows = await em.createQueryBuilder(entity, 'x').select(['x.code', 'x.name']).where('x.code IN (:...codes)', { codes }).getMany()
  return new Map(rows.map((r) => [r.code, r.name]))
}

async function loadLookups(em: EntityManager, viewer: TicketActor, tickets: Ticket[]): Promise<Lookups> {
  const viewerIsStaff = !isSystemActor(viewer) && isStaffRole(viewer.role)
  const userIds = distinct([
    ...tickets.map((t) => t.assigneeId),
    ...(viewerIsStaff ? tickets.filter((t) => !t.anonymous).map((t) => t.reporterId) : []),
    ...(!isSystemActor(viewer) ? tickets.filter((t) => t.reporterId === viewer.id).map((t) => t.reporterId) : [])
  ])
  const [grids, communities, streets, departments, userRows, followerRows, categories] = await Promise.all([
    nameMap(em, Grid, distinct(tickets.map((t) => t.gridCode))),
    nameMap(em, Community, distinct(tickets.map((t) => t.communityCode))),
    nameMap(em, Street, distinct(tickets.map((t) => t.streetCode))),
    nameMap(em, Department, distinct(tickets.map((t) => t.departmentCode))),
    userIds.length ? em.getRepository(User).find({ where: { id: In(userIds) }, select: { id: true, displayName: true, role: true } }) : Promise.resolve([]),
    !isSystemActor(viewer) && tickets.length ? em.getRepository(TicketFollower).find({ where: { userId: viewer.id, ticketId: In(tickets.map((t) => t.id)) } }) : Promise.resolve([]),
    Promise.all(distinct(tickets.map((t) => t.category)).map((code) => getCategory(em, code)))
  ])
  const cohandlers = await loadCohandlers(em, tickets)
  return {
    grids,
    communities,
    streets,
    departments,
    users: new Map(userRows.map((u) => [u.id, { id: u.id, displayName: u.displayName, role: u.role as Role }])),
    categories: new Map(categories.filter((c) => c !== undefined).map((c) => [c.code, c.name])),
    followed: new Set(followerRows.map((f) => f.ticketId)),
    cohandlers
  }
}

/** The 协办 departments of the tickets that have any, with their names (one query each for rows and names). */
async function loadCohandlers(em: EntityManager, tickets: Ticket[]): Promise<Map<string, CodeName[]>> {
  const ids = tickets.filter((t) => t.cohandled).map((t) => t.id)
  if (ids.length === 0) return new Map()
  const rows = await em.getRepository(TicketCohandler).find({ where: { ticketId: In(ids) }, order: { createdAt: 'ASC' } })
  const names = await nameMap(em, Department, distinct(rows.map((r) => r.departmentCode)))
  const byTicket = new Map<string, CodeName[]>()
  for (const r of rows) byTicket.set(r.ticketId, [...(byTicket.get(r.ticketId) ?? []), { code: r.departmentCode, name: names.get(r.departmentCode) ?? r.departmentCode }])
  return byTicket
}

function codeName(code: string | null, names: Map<string, string>): CodeName | undefined {
  return code ? { code, name: names.get(code) ?? code } : undefined
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null)

function queueOf(t: Ticket, l: Lookups): { level: RoutingLevel; code: string | null; name: string | null } {
  const level = t.level as RoutingLevel
  const pick: Record<RoutingLevel, [string | null, Map<string, string> | null]> = {
    grid: [t.gridCode, l.grids],
    community: [t.communityCode, l.communities],
    street: [t.streetCode, l.streets],
    district: [null, null],
    department: [t.departmentCode, l.departments]
  }
  const [code, names] = pick[level]
  return { level, code, name: level === 'district' ? '区综治中心' : code && names ? (names.get(code) ?? code) : null }
}

/** The buttons for this caller now: the machine's events for their role, narrowed by the object-level policy. */
export function actionsFor(viewer: TicketActor, t: Ticket, relation: TicketRelation, now = new Date(), handlerRole?: Role | null): TicketView['actions'] {
  const state = t.state as TicketState
  if (isSystemActor(viewer)) return TICKET_EVENTS.filter((e) => nextState(state, e) !== undefined && roleMayFire('system', e))
  return availableEvents(state, viewer.role).filter((e) => mayActOn(viewer, t, e, relation) && offersAction(viewer, t, e, now, handlerRole))
}

function relationOf(viewer: TicketActor, t: Ticket, l: Lookups): TicketRelation {
  const viewerId = isSystemActor(viewer) ? null : viewer.id
  const relation: TicketRelation = { isReporter: viewerId !== null && t.reporterId === viewerId, isFollower: l.followed.has(t.id) }
  const department = !isSystemActor(viewer) && viewer.role === 'department_staff' ? viewer.scope.departmentCode : undefined
  if (department && (l.cohandlers.get(t.id) ?? []).some((c) => c.code === department)) relation.isCohandler = true
  return relation
}

function publicLookups(l: Lookups, reporterNames: Map<string, string>): PublicLookups {
  return { communities: l.communities, streets: l.streets, categories: l.categories, reporterNames }
}

/** The full summary: only for a viewer who sees the whole ticket (seesWholeTicket); followers get summarisePublic. */
function summarise(viewer: TicketActor, t: Ticket, l: Lookups, now: Date): TicketSummaryView {
  const state = t.state as TicketState
  const relation = relationOf(viewer, t, l)
  const viewerIsStaff = !isSystemActor(viewer) && isStaffRole(viewer.role)
  const assignee = t.assigneeId ? l.users.get(t.assigneeId) : undefined
  const reporter = (viewerIsStaff && !t.anonymous) || relation.isReporter ? l.users.get(t.reporterId) : undefined
  const dueAt = t.dueAt
  return {
    id: t.id,
    number: t.number,
    kind: t.kind as TicketKind,
    category: t.category,
    ...(l.categories.has(t.category) ? { categoryName: l.categories.get(t.category) } : {}),
    state,
    stateGroup: STATE_GROUP[state],
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    dueAt: dueAt.toISOString(),
    acceptDueAt: t.acceptDueAt.toISOString(),
    resolveDueAt: t.resolveDueAt.toISOString(),
    // A suspended ticket's clock stands: it is not overdue while it waits for the resident.
    overdue: STATE_GROUP[state] === 'open' && state !== 'suspended' && dueAt.getTime() < now.getTime(),
    description: t.description,
    address: t.address,
    location: t.lat !== null && t.lng !== null ? presentPoint(t.lat, t.lng) : null,
    ...optional('grid', codeName(t.gridCode, l.grids)),
    ...optional('community', codeName(t.communityCode, l.communities)),
    ...optional('street', codeName(t.streetCode, l.streets)),
    ...optional('department', codeName(t.departmentCode, l.departments)),
    level: t.level as RoutingLevel,
    ...(assignee ? { assignee } : {}),
    queue: queueOf(t, l),
    routing: { reason: viewerSeesRouting(viewer) ? t.routingReason : plainRoutingNote(t.level) },
    // Boolean(): MariaDB's INSERT … RETURNING hands defaulted columns back as 0/1.
    anonymous: Boolean(t.anonymous),
    allowPublication: Boolean(t.allowPublication),
    ...(reporter ? { reporter: { displayName: reporter.displayName } } : {}),
    ...(t.details ? { details: JSON.parse(t.details) as Record<string, string | number> } : {}),
    rating: t.rating !== null ? { score: t.rating, comment: t.ratingComment } : null,
    resolution: t.resolution,
    reopenCount: t.reopenCount,
    ...handlingFields(viewer, t, l.cohandlers.get(t.id) ?? [], assignee?.role),
    acceptedAt: iso(t.acceptedAt),
    resolvedAt: iso(t.resolvedAt),
    closedAt: iso(t.closedAt),
    actions: actionsFor(viewer, t, relation, now, assignee?.role),
    viewer: relation
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>)
}

const ROUTING_EVENTS = new Set(['assign', 'transfer', 'escalate'])
const PLAIN_ROUTING: Record<string, string> = {
  grid: '已分派给网格员',
  community: '已交社区处理',
  street: '已交街道处理',
  district: '已交区级处理',
  department: '已交职能部门处理'
}

/** Staff and the system read routing reasons as written; residents do not. */
function viewerSeesRouting(viewer: TicketActor): boolean {
  return isSystemActor(viewer) || isStaffRole(viewer.role)
}

/** Where the ticket went, in words for a resident, without names or workloads. */
export function plainRoutingNote(level: string | null): string {
  return (level && PLAIN_ROUTING[level]) || '已分派处理'
}

function levelOfEvent(e: TicketEventRow): string | null {
  try {
    const data = e.data ? (JSON.parse(e.data) as { level?: unknown }) : null
    return typeof data?.level === 'string' ? data.level : null
  } catch {
    return null
  }
}

/**
 * A timeline row for this viewer: staff and the system by their name; a citizen by name to staff and
 * to themselves, masked ("张*") to other citizens (followers); the reporter of an anonymous tip is
 * stored and shown only as "匿名举报人".
 */
function presentEvent(viewer: TicketActor, e: TicketEventRow): TicketEventView {
  const role = e.actorRole as Role | 'system'
  const citizen = role === 'resident' || role === 'volunteer'
  const viewerSeesNames = isSystemActor(viewer) || isStaffRole(viewer.role) || viewer.id === e.actorId
  // Routing notes (who is on duty, how many tickets they hold, who transferred it) are for staff;
  // a resident reads where the ticket went in plain words (docs/residents-data.md).
  if (!viewerSeesRouting(viewer) && ROUTING_EVENTS.has(e.event)) {
    return {
      at: e.createdAt.toISOString(),
      event: e.event as TimelineEvent,
      fromState: (e.fromState as TicketState | null) ?? null,
      toState: e.toState as TicketState,
      actor: { role, displayName: e.actorName },
      note: plainRoutingNote(levelOfEvent(e))
    }
  }
  return {
    at: e.createdAt.toISOString(),
    event: e.event as TimelineEvent,
    fromState: (e.fromState as TicketState | null) ?? null,
    toState: e.toState as TicketState,
    actor: { role, displayName: citizen && !viewerSeesNames ? maskName(e.actorName) : e.actorName },
    note: e.note
  }
}

/**
 * List rows, for a page of tickets the caller may see: the full summary of their own tickets (and of
 * every ticket for staff), the public summary of the ones they only follow.
 */
export async function presentTicketSummaries(em: EntityManager, deps: AppDeps, viewer: TicketActor, tickets: Ticket[]): Promise<TicketListItem[]> {
  const lookups = await loadLookups(em, viewer, tickets)
  const others = tickets.filter((t) => !seesWholeTicket(viewer, relationOf(viewer, t, lookups)))
  const reporterNames = others.length ? await loadReporterNames(em, others) : new Map<string, string>()
  const now = deps.now()
  return tickets.map((t) => {
    const relation = relationOf(viewer, t, lookups)
    if (seesWholeTicket(viewer, relation)) return summarise(viewer, t, lookups, now)
    return summarisePublic(t, publicLookups(lookups, reporterNames), relation, actionsFor(viewer, t, relation, now), now)
  })
}

/**
 * The ticket for a caller already known to be allowed to see it. Its reporter, staff in scope and
 * the system get the full TicketView (api.md): no reporter id ever, no reporter at all on anonymous
 * tips, photos as signed URLs valid for minutes. Anyone else (a follower) gets the public view.
 */
export async function presentTicket(em: EntityManager, deps: AppDeps, viewer: TicketActor, ticket: Ticket): Promise<TicketDetailView> {
  const [lookups, events] = await Promise.all([loadLookups(em, viewer, [ticket]), em.getRepository(TicketEventRow).find({ where: { ticketId: ticket.id }, order: { seq: 'ASC' } })])
  const relation = relationOf(viewer, ticket, lookups)
  if (!seesWholeTicket(viewer, relation)) {
    const reporterNames = await loadReporterNames(em, [ticket])
    return presentPublicTicket(ticket, publicLookups(lookups, reporterNames), relation, actionsFor(viewer, ticket, relation, deps.now()), events, deps.now())
  }
  const attachments = await em.getRepository(TicketAttachment).find({ where: { ticketId: ticket.id }, order: { eventSeq: 'ASC', uploadId: 'ASC' } })
  const uploads = await findUploads(
    em,
    attachments.map((a) => a.uploadId)
  )
  return presentWith(deps, viewer, ticket, lookups, events, attachments, uploads)
}

function presentWith(deps: AppDeps, viewer: TicketActor, ticket: Ticket, lookups: Lookups, events: TicketEventRow[], attachments: TicketAttachment[], uploadRows: Upload[]): TicketView {
  const uploads = new Map(uploadRows.map((u) => [u.id, u]))
  const now = deps.now()
  const attachmentViews: TicketAttachmentView[] = attachments.flatMap((a) => {
    const upload = uploads.get(a.uploadId)
    if (!upload) return []
    return [{ id: a.uploadId, role: a.role === 'reply' ? 'reply' : 'report', url: signUploadUrl(deps.config, a.uploadId, now), width: upload.width, height: upload.height }]
  })
  return { ...summarise(viewer, ticket, lookups, now), attachments: attachmentViews, timeline: events.map((e) => presentEvent(viewer, e)) }
}

const byUploadId = (a: TicketAttachment, b: TicketAttachment) => (a.uploadId < b.uploadId ? -1 : a.uploadId > b.uploadId ? 1 : 0)

/**
 * The view of a ticket just filed by `reporter`, from what filing it learned (routing's names and
 * assignee, the category, the rows written) instead of reading it back: the same view presentTicket
 * gives for it (a test compares the two), without its eight queries. A brand-new ticket has no
 * followers, and its reporter is the caller.
 */
export function presentNewTicket(deps: AppDeps, reporter: TicketActor, prepared: PreparedTicket): TicketView {
  const { ticket, routing } = prepared
  const names = (code: string | null, name: string | null) => new Map(code && name !== null ? [[code, name]] : [])
  const users: Lookups['users'] = new Map()
  if (routing.assignee && ticket.assigneeId === routing.assignee.id) users.set(routing.assignee.id, { ...routing.assignee, role: 'grid_worker' })
  if (!isSystemActor(reporter) && ticket.reporterId === reporter.id) users.set(reporter.id, { id: reporter.id, displayName: reporter.displayName, role: reporter.role })
  const lookups: Lookups = {
    grids: names(ticket.gridCode, routing.gridName),
    communities: names(ticket.communityCode, routing.communityName),
    streets: names(ticket.streetCode, routing.streetName),
    departments: names(ticket.departmentCode, routing.departmentName),
    users,
    categories: new Map([[routing.category.code, routing.category.name]]),
    followed: new Set(),
    cohandlers: new Map()
  }
  const events = [...prepared.events].sort((a, b) => a.seq - b.seq)
  const attachments = [...prepared.attachments].sort((a, b) => a.eventSeq - b.eventSeq || byUploadId(a, b))
  return presentWith(deps, reporter, ticket, lookups, events, attachments, prepared.uploads)
}
