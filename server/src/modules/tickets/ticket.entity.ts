import { Column, Entity, Index, PrimaryColumn } from 'typeorm'

/**
 * A ticket (工单): every request a resident makes. Its territory codes say where it belongs (and who
 * may see it); `level`, `department_code` and `assignee_id` say whose queue it waits in. The state
 * machine lives in @palm/shared; `version` makes every transition a conditional UPDATE, so two
 * workers acting at once cannot both win. `state_group` (open/done) keeps the inbox indexes ordered.
 */
@Entity('tickets')
@Index('UQ_tickets_number', ['number'], { unique: true })
@Index('IDX_tickets_grid_inbox', ['gridCode', 'stateGroup', 'dueAt', 'id'])
@Index('IDX_tickets_community_inbox', ['communityCode', 'stateGroup', 'dueAt', 'id'])
@Index('IDX_tickets_street_inbox', ['streetCode', 'stateGroup', 'dueAt', 'id'])
@Index('IDX_tickets_department_inbox', ['departmentCode', 'stateGroup', 'dueAt', 'id'])
@Index('IDX_tickets_assignee_inbox', ['assigneeId', 'stateGroup', 'dueAt', 'id'])
@Index('IDX_tickets_district_inbox', ['stateGroup', 'dueAt', 'id'])
@Index('IDX_tickets_reporter', ['reporterId', 'createdAt', 'id'])
@Index('IDX_tickets_nearby', ['category', 'stateGroup', 'lat', 'lng'])
@Index('IDX_tickets_created', ['createdAt', 'id'])
@Index('IDX_tickets_state_resolved', ['state', 'resolvedAt'])
@Index('IDX_tickets_extension', ['extensionState', 'dueAt'])
export class Ticket {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  /** Human-readable, unique: "PC20261128-7KQ3MZ" (the office date plus random base32). */
  @Column({ type: 'varchar', length: 24 })
  number: string

  @Column({ type: 'varchar', length: 32 })
  kind: string

  @Column({ type: 'varchar', length: 32 })
  category: string

  @Column({ type: 'varchar', length: 16 })
  state: string

  /** 'open' or 'done', always STATE_GROUP[state]. */
  @Column({ name: 'state_group', type: 'varchar', length: 8 })
  stateGroup: string

  @Column({ type: 'text' })
  description: string

  /** What the kind adds, as JSON (flat string/number pairs, ≤ 2 KB). */
  @Column({ type: 'text', nullable: true })
  details: string | null

  @Column({ type: 'double', nullable: true })
  lat: number | null

  @Column({ type: 'double', nullable: true })
  lng: number | null

  @Column({ type: 'varchar', length: 200, nullable: true })
  address: string | null

  /** grid | community | street | district | department: the level of the queue it waits in. */
  @Column({ type: 'varchar', length: 16 })
  level: string

  @Column({ name: 'grid_code', type: 'varchar', length: 24, nullable: true })
  gridCode: string | null

  @Column({ name: 'community_code', type: 'varchar', length: 16, nullable: true })
  communityCode: string | null

  @Column({ name: 'street_code', type: 'varchar', length: 16, nullable: true })
  streetCode: string | null

  @Column({ name: 'department_code', type: 'varchar', length: 32, nullable: true })
  departmentCode: string | null

  @Column({ name: 'assignee_id', type: 'varchar', length: 36, nullable: true })
  assigneeId: string | null

  /** Never leaves the server: presenters show no reporter id, and nothing of the reporter on anonymous tips. */
  @Column({ name: 'reporter_id', type: 'varchar', length: 36 })
  reporterId: string

  @Column({ type: 'boolean', default: false })
  anonymous: boolean

  @Column({ name: 'allow_publication', type: 'boolean', default: false })
  allowPublication: boolean

  /** The latest routing decision in words ("grid 066-012 by location; worker on duty with 3 open"). */
  @Column({ name: 'routing_reason', type: 'text' })
  routingReason: string

  /** What that decision was based on, as JSON, so an admin can replay it. */
  @Column({ name: 'routing_inputs', type: 'text' })
  routingInputs: string

  /** When the clock started: the first dispatch (or the last reopening). Returns and escalations keep it. */
  @Column({ name: 'dispatched_at', type: 'datetime' })
  dispatchedAt: Date

  @Column({ name: 'accept_due_at', type: 'datetime' })
  acceptDueAt: Date

  @Column({ name: 'resolve_due_at', type: 'datetime' })
  resolveDueAt: Date

  /** The deadline that runs now (accept while waiting, resolve once accepted); frozen once done. The inbox sorts by it. */
  @Column({ name: 'due_at', type: 'datetime' })
  dueAt: Date

  @Column({ name: 'accepted_at', type: 'datetime', nullable: true })
  acceptedAt: Date | null

  @Column({ name: 'resolved_at', type: 'datetime', nullable: true })
  resolvedAt: Date | null

  @Column({ name: 'closed_at', type: 'datetime', nullable: true })
  closedAt: Date | null

  /** The last reply since the last dispatch; resolving needs one (or a note). */
  @Column({ name: 'last_reply_at', type: 'datetime', nullable: true })
  lastReplyAt: Date | null

  /** The reply the ticket was resolved with (the text a publication shows). */
  @Column({ type: 'text', nullable: true })
  resolution: string | null

  @Column({ type: 'integer', nullable: true })
  rating: number | null

  @Column({ name: 'rating_comment', type: 'varchar', length: 500, nullable: true })
  ratingComment: string | null

  @Column({ name: 'reopen_count', type: 'integer', default: 0 })
  reopenCount: number

  /** 'resident' | 'on_behalf' (代报 by a grid worker) | 'patrol' (巡查发现): the figures count the last two apart. */
  @Column({ type: 'varchar', length: 16, default: 'resident' })
  source: string

  /** The phone (and name, if given) of the resident a 代报 was filed for; shown to staff in scope only. */
  @Column({ name: 'contact_phone', type: 'varchar', length: 20, nullable: true })
  contactPhone: string | null

  @Column({ name: 'contact_name', type: 'varchar', length: 32, nullable: true })
  contactName: string | null

  /** Copied from the category when filed: the clock runs 24×7 (deadlineAfter). */
  @Column({ type: 'boolean', default: false })
  emergency: boolean

  /** 延期: null, or 'pending' | 'approved' | 'denied'; one per ticket. */
  @Column({ name: 'extension_state', type: 'varchar', length: 16, nullable: true })
  extensionState: string | null

  /** The resolve deadline the extension asked for (then granted). */
  @Column({ name: 'extension_due_at', type: 'datetime', nullable: true })
  extensionDueAt: Date | null

  /** 挂起 since: set while the state is `suspended`; the clock stands. */
  @Column({ name: 'suspended_at', type: 'datetime', nullable: true })
  suspendedAt: Date | null

  /** Minutes (of the ticket's clock) the deadlines were moved on by suspensions so far. */
  @Column({ name: 'suspended_minutes', type: 'integer', default: 0 })
  suspendedMinutes: number

  /** Whether a department was asked to co-handle (协办) it: a complex ticket gets a 回访. */
  @Column({ type: 'boolean', default: false })
  cohandled: boolean

  /** The 回访 of the current resolution; a reopening clears it. */
  @Column({ name: 'callback_at', type: 'datetime', nullable: true })
  callbackAt: Date | null

  /** Bumped by every event; equals the seq of the latest ticket_events row. */
  @Column({ type: 'integer', default: 1 })
  version: number

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date
}

/**
 * One row per event, append-only: who (id, role, name at the time), when, from, to, why. `seq` orders
 * the timeline (several events can share a timestamp) and is unique per ticket.
 */
@Entity('ticket_events')
@Index('UQ_ticket_events_seq', ['ticketId', 'seq'], { unique: true })
export class TicketEventRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ name: 'ticket_id', type: 'varchar', length: 36 })
  ticketId: string

  @Column({ type: 'integer' })
  seq: number

  /** 'submit' or a TicketEvent. */
  @Column({ type: 'varchar', length: 16 })
  event: string

  @Column({ name: 'from_state', type: 'varchar', length: 16, nullable: true })
  fromState: string | null

  @Column({ name: 'to_state', type: 'varchar', length: 16 })
  toState: string

  /** Null for the system. */
  @Column({ name: 'actor_id', type: 'varchar', length: 36, nullable: true })
  actorId: string | null

  @Column({ name: 'actor_role', type: 'varchar', length: 32 })
  actorRole: string

  /** The display name at the time; "匿名举报人" when the reporter of an anonymous tip acts. */
  @Column({ name: 'actor_name', type: 'varchar', length: 64 })
  actorName: string

  @Column({ type: 'text', nullable: true })
  note: string | null

  /** Event-specific facts as JSON: the routing decision, the transfer target, the rating… */
  @Column({ type: 'text', nullable: true })
  data: string | null

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date
}

/** A department asked to work beside the assignee (协办): its staff see the ticket and may add 协办意见. */
@Entity('ticket_cohandlers')
@Index('IDX_ticket_cohandlers_department', ['departmentCode', 'createdAt'])
export class TicketCohandler {
  @PrimaryColumn({ name: 'ticket_id', type: 'varchar', length: 36 })
  ticketId: string

  @PrimaryColumn({ name: 'department_code', type: 'varchar', length: 32 })
  departmentCode: string

  @Column({ name: 'invited_by', type: 'varchar', length: 36 })
  invitedBy: string

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date
}

/** 常用语: a reply template of one category, kept by the district admin (docs/handling.md). */
@Entity('reply_templates')
@Index('IDX_reply_templates_category', ['category', 'createdAt'])
export class ReplyTemplate {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string

  @Column({ type: 'varchar', length: 32 })
  category: string

  @Column({ type: 'varchar', length: 20 })
  title: string

  @Column({ type: 'text' })
  body: string

  @Column({ name: 'updated_by', type: 'varchar', length: 36 })
  updatedBy: string

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date
}

/** A photo of a ticket: from the report, or sent with a reply. An upload belongs to one ticket at most. */
@Entity('ticket_attachments')
@Index('IDX_ticket_attachments_ticket', ['ticketId'])
export class TicketAttachment {
  @PrimaryColumn({ name: 'upload_id', type: 'varchar', length: 36 })
  uploadId: string

  @Column({ name: 'ticket_id', type: 'varchar', length: 36 })
  ticketId: string

  /** 'report' | 'reply'. */
  @Column({ type: 'varchar', length: 16 })
  role: string

  /** The seq of the event it came with. */
  @Column({ name: 'event_seq', type: 'integer' })
  eventSeq: number

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date
}

/** Residents who follow a ticket instead of filing a duplicate: they see it, hear its news, may rate and reopen it. */
@Entity('ticket_followers')
@Index('IDX_ticket_followers_user', ['userId', 'createdAt'])
export class TicketFollower {
  @PrimaryColumn({ name: 'ticket_id', type: 'varchar', length: 36 })
  ticketId: string

  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date
}
