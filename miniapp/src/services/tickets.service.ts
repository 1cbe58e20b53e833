import type { CategoryView, CoordSystem, CreateTicketInput, NearbyTicketView, PublicTicketPage, TicketKind, TicketPage, TicketStateFilter, TicketView, TransitionInput, UploadView } from '@palm/shared'
import { apiRequest, apiUpload } from './api-client'

export interface ListTicketsParams {
  view?: 'mine' | 'inbox'
  state?: TicketStateFilter
  category?: string
  kind?: TicketKind
  overdue?: boolean
  /** Only the pending extensions the caller decides (待审批延期). */
  toApprove?: boolean
  cursor?: string
  limit?: number
}

export const ticketsService = {
  listCategories: (kind: TicketKind) => apiRequest<CategoryView[]>({ path: '/api/tickets/categories', query: { kind }, auth: false }),

  /** One Idempotency-Key per submission: the caller keeps it with the draft and reuses it on retry. */
  create: (input: CreateTicketInput, idempotencyKey: string) => apiRequest<TicketView>({ method: 'POST', path: '/api/tickets', body: input, idempotencyKey }),

  get: (id: string) => apiRequest<TicketView>({ path: `/api/tickets/${encodeURIComponent(id)}` }),

  list: (params: ListTicketsParams) =>
    apiRequest<TicketPage>({
      path: '/api/tickets',
      query: {
        view: params.view,
        state: params.state,
        category: params.category,
        kind: params.kind,
        overdue: params.overdue === undefined ? undefined : String(params.overdue),
        toApprove: params.toApprove ? 'true' : undefined,
        cursor: params.cursor,
        limit: params.limit
      }
    }),

  transition: (id: string, input: TransitionInput, idempotencyKey: string) =>
    apiRequest<TicketView>({ method: 'POST', path: `/api/tickets/${encodeURIComponent(id)}/transitions`, body: input, idempotencyKey }),

  nearby: (lat: number, lng: number, category: string, coordSystem: CoordSystem = 'wgs84') =>
    apiRequest<{ items: NearbyTicketView[] } | NearbyTicketView[]>({ path: '/api/tickets/nearby', query: { lat, lng, category, coordSystem } }).then((res) => (Array.isArray(res) ? res : res.items)),

  follow: (id: string) => apiRequest<unknown>({ method: 'POST', path: `/api/tickets/${encodeURIComponent(id)}/follow` }),

  listPublic: (cursor?: string) => apiRequest<PublicTicketPage>({ path: '/api/public/tickets', query: { cursor }, auth: false }),

  /**
   * Photos go up one by one before the ticket. The draft remembers each upload id, so a retry
   * after a failure sends only the photos that did not arrive.
   */
  uploadPhoto: (filePath: string) => apiUpload<UploadView>({ path: '/api/uploads', filePath })
}
