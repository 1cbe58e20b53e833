import type {
  ApproveTestingPointRequestInput,
  CreateTestingPointInput,
  SupportView,
  TestingPointRequestDetails,
  TestingPointRequestView,
  TestingPointView,
  TicketView,
  UpdateTestingPointInput
} from '@palm/shared'
import { apiRequest } from './api-client'
import { ticketsService } from './tickets.service'

export interface PointQuery {
  lat?: number
  lng?: number
  openNow?: boolean
  communityCode?: string
  streetCode?: string
  includeClosed?: boolean
  limit?: number
}

/** What the resident's request for a new point sends: the place and why, where it is. */
export interface PointRequestInput {
  details: TestingPointRequestDetails
  location?: { lat: number; lng: number }
  communityCode?: string
}

const pointPath = (id: string) => `/api/testing-points/${encodeURIComponent(id)}`

/** Testing points (api.md "Services"): public list nearest first, staff writes, requests as tickets. */
export const testingPointsService = {
  list: (q: PointQuery = {}) =>
    apiRequest<{ items: TestingPointView[] }>({
      path: '/api/testing-points',
      query: {
        lat: q.lat,
        lng: q.lng,
        openNow: q.openNow ? 'true' : undefined,
        communityCode: q.communityCode,
        streetCode: q.streetCode,
        includeClosed: q.includeClosed ? 'true' : undefined,
        limit: q.limit ?? 50
      }
    }).then((r) => r.items),
  get: (id: string) => apiRequest<TestingPointView>({ path: pointPath(id) }),
  create: (input: CreateTestingPointInput) => apiRequest<TestingPointView>({ method: 'POST', path: '/api/testing-points', body: input }),
  update: (id: string, input: UpdateTestingPointInput) => apiRequest<TestingPointView>({ method: 'PATCH', path: pointPath(id), body: input }),

  /** Open requests near a point (3 km) or of a community; never who asked. */
  listRequests: (q: { lat?: number; lng?: number; communityCode?: string }) =>
    apiRequest<{ items: TestingPointRequestView[] }>({ path: '/api/testing-points/requests', query: { ...q, limit: 50 } }).then((r) => r.items),
  support: (ticketId: string) => apiRequest<SupportView>({ method: 'POST', path: `/api/tickets/${encodeURIComponent(ticketId)}/support` }),
  approve: (ticketId: string, input: ApproveTestingPointRequestInput) =>
    apiRequest<{ point: TestingPointView; ticketId: string; notifiedSupporters: number }>({
      method: 'POST',
      path: `/api/testing-points/requests/${encodeURIComponent(ticketId)}/approve`,
      body: input
    }),

  /** The request is a ticket of kind testing_point_request (one pipeline for every request). */
  createRequest: (input: PointRequestInput, idempotencyKey: string): Promise<TicketView> => ticketsService.create(pointRequestTicket(input), idempotencyKey)
}

/** The ticket body of a request for a new point; the reason doubles as the ticket's description. */
export function pointRequestTicket(input: PointRequestInput) {
  return {
    kind: 'testing_point_request' as const,
    category: 'testing_point_request',
    description: `申请增设检测点：${input.details.place}。${input.details.reason}`,
    ...(input.location ? { location: input.location } : input.communityCode ? { communityCode: input.communityCode } : {}),
    details: input.details
  }
}
