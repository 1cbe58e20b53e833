import { randomUUID } from 'node:crypto'
import { STATE_GROUP, type TicketState } from '@palm/shared'
import type { DataSource } from 'typeorm'
import { invalidateGridIndex } from '../src/modules/territory/index'
import { Ticket } from '../src/modules/tickets/ticket.entity'
import { createCommunity, createGrid, createStreet, createUser } from './factories'

/**
 * A small territory for routing, SLA and statistics tests: 水泊寺街道 with 永和社区 (grids 066-012, with
 * workers, and 066-013, with none on duty) and 绿地社区 (grid 066-021), side by side around
 * N40.05 E113.25 inside the district box.
 */
export async function createRoutingTerritory(ds: DataSource) {
  const street = await createStreet(ds, '140213066', '水泊寺街道')
  const otherStreet = await createStreet(ds, '140213050', '永泰街道')
  const yonghe = await createCommunity(ds, street.code, '140213066001', '永和社区')
  const lvdi = await createCommunity(ds, street.code, '140213066002', '绿地社区')
  const otherCommunity = await createCommunity(ds, otherStreet.code, '140213050001', '永泰社区')
  const g12 = await createGrid(ds, { code: '066-012', communityCode: yonghe.code, streetCode: street.code, lat: 40.05, lng: 113.25, name: '永和一网格' })
  const g13 = await createGrid(ds, { code: '066-013', communityCode: yonghe.code, streetCode: street.code, lat: 40.05, lng: 113.26, name: '永和二网格' })
  const g21 = await createGrid(ds, { code: '066-021', communityCode: lvdi.code, streetCode: street.code, lat: 40.06, lng: 113.25, name: '绿地一网格' })
  const g50 = await createGrid(ds, { code: '050-001', communityCode: otherCommunity.code, streetCode: otherStreet.code, lat: 40.1, lng: 113.2, name: '永泰一网格' })
  invalidateGridIndex(ds)
  return { street, otherStreet, yonghe, lvdi, otherCommunity, g12, g13, g21, g50 }
}

export type RoutingTerritory = Awaited<ReturnType<typeof createRoutingTerritory>>

/** A grid worker of `gridCode`, on duty unless told otherwise. */
export function createGridWorker(ds: DataSource, gridCode: string, communityCode: string, streetCode: string, opts: { onDuty?: boolean; displayName?: string } = {}) {
  return createUser(ds, 'grid_worker', { gridCode, communityCode, streetCode, onDuty: opts.onDuty ?? true, displayName: opts.displayName ?? '张三' })
}

let ticketSeq = 0

/**
 * A ticket row written straight into the table (the tickets module's own submission is tested
 * there); only what routing, the SLA job and statistics read is meaningful.
 */
export async function insertTicketRow(ds: DataSource, fields: Partial<Ticket> & { state?: TicketState } = {}): Promise<Ticket> {
  const now = fields.createdAt ?? new Date()
  const state: TicketState = fields.state ?? 'assigned'
  ticketSeq += 1
  const ticket: Ticket = Object.assign(new Ticket(), {
    id: randomUUID(),
    number: `PT${Date.now().toString(36)}${ticketSeq}`.slice(0, 24),
    kind: 'report',
    category: 'sanitation',
    description: 'test ticket',
    details: null,
    lat: null,
    lng: null,
    address: null,
    level: 'grid',
    gridCode: null,
    communityCode: null,
    streetCode: null,
    departmentCode: null,
    assigneeId: null,
    reporterId: randomUUID(),
    anonymous: false,
    allowPublication: false,
    routingReason: 'test',
    routingInputs: '{}',
    dispatchedAt: now,
    acceptDueAt: new Date(now.getTime() + 2 * 3_600_000),
    resolveDueAt: new Date(now.getTime() + 3 * 86_400_000),
    dueAt: new Date(now.getTime() + 2 * 3_600_000),
    acceptedAt: null,
    resolvedAt: null,
    closedAt: null,
    lastReplyAt: null,
    resolution: null,
    rating: null,
    ratingComment: null,
    reopenCount: 0,
    overdueEscalatedAt: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...fields,
    state,
    stateGroup: STATE_GROUP[state]
  })
  await ds.getRepository(Ticket).insert(ticket)
  return ticket
}

export async function countTickets(ds: DataSource): Promise<number> {
  return ds.getRepository(Ticket).count()
}
