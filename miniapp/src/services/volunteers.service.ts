import type {
  ActivityView,
  AlertView,
  CreateActivityInput,
  CreateAlertInput,
  LeaderboardView,
  RegisterVolunteerInput,
  SignupView,
  UpdateActivityInput,
  VolunteerRecordView,
  VolunteerStatus,
  VolunteerView
} from '@palm/shared'
import { apiRequest } from './api-client'

const enc = encodeURIComponent

/** The 平城反诈 alliance (api.md "Services"): volunteers, activities, records, alerts. */
export const volunteersService = {
  register: (input: RegisterVolunteerInput) => apiRequest<VolunteerView>({ method: 'POST', path: '/api/volunteers', body: input }),
  /** The caller's registration; null when they have not registered (the API answers 204). */
  me: async (): Promise<VolunteerView | null> => (await apiRequest<VolunteerView | ''>({ path: '/api/volunteers/me' })) || null,
  myRecord: () => apiRequest<VolunteerRecordView>({ path: '/api/volunteers/me/record' }),
  leaderboard: (month?: string) => apiRequest<LeaderboardView>({ path: '/api/volunteers/leaderboard', query: { month } }),

  // staff
  list: (status?: VolunteerStatus) => apiRequest<{ items: VolunteerView[] }>({ path: '/api/volunteers', query: { status } }).then((r) => r.items),
  approve: (id: string) => apiRequest<VolunteerView>({ method: 'POST', path: `/api/volunteers/${enc(id)}/approve` }),
  reject: (id: string, reason: string) => apiRequest<VolunteerView>({ method: 'POST', path: `/api/volunteers/${enc(id)}/reject`, body: { reason } }),

  activities: (q: { upcoming?: boolean; communityCode?: string; streetCode?: string } = {}) =>
    apiRequest<{ items: ActivityView[] }>({
      path: '/api/activities',
      query: { upcoming: q.upcoming === false ? 'false' : undefined, communityCode: q.communityCode, streetCode: q.streetCode, limit: 50 }
    }).then((r) => r.items),
  activity: (id: string) => apiRequest<ActivityView>({ path: `/api/activities/${enc(id)}` }),
  createActivity: (input: CreateActivityInput) => apiRequest<ActivityView>({ method: 'POST', path: '/api/activities', body: input }),
  updateActivity: (id: string, input: UpdateActivityInput) => apiRequest<ActivityView>({ method: 'PATCH', path: `/api/activities/${enc(id)}`, body: input }),
  signups: (id: string) => apiRequest<{ items: SignupView[] }>({ path: `/api/activities/${enc(id)}/signups` }).then((r) => r.items),

  /** `joinWaitlist`: queue when full instead of a 409 activity_full. One key per sign-up attempt. */
  signUp: (id: string, joinWaitlist: boolean, idempotencyKey: string) => apiRequest<SignupView>({ method: 'POST', path: `/api/activities/${enc(id)}/signups`, body: { joinWaitlist }, idempotencyKey }),
  cancelSignup: (id: string) => apiRequest<SignupView>({ method: 'POST', path: `/api/activities/${enc(id)}/signups/cancel` }),
  checkIn: (id: string, code: string) => apiRequest<SignupView>({ method: 'POST', path: `/api/activities/${enc(id)}/checkin`, body: { code } }),
  checkOut: (id: string, code: string) => apiRequest<SignupView>({ method: 'POST', path: `/api/activities/${enc(id)}/checkout`, body: { code } }),

  alerts: (cursor?: string) => apiRequest<{ items: AlertView[]; nextCursor?: string | null }>({ path: '/api/anti-fraud/alerts', query: { cursor }, auth: false }),
  publishAlert: (input: CreateAlertInput) => apiRequest<AlertView>({ method: 'POST', path: '/api/anti-fraud/alerts', body: input })
}
