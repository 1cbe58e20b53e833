import { maskVolunteerPhone, type ActivityKind, type ActivityView, type SignupStatus, type SignupView, type VolunteerStatus, type VolunteerView } from '@palm/shared'
import type { TerritoryNames } from '../territory/index'
import type { ActivitySignup, Volunteer, VolunteerActivity } from './volunteer.entity'
import { presentPoint } from '../../http/coords'

export function parseSkills(raw: string): string[] {
  const value = JSON.parse(raw) as unknown
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : []
}

export function presentVolunteer(v: Volunteer, names: TerritoryNames): VolunteerView {
  return {
    id: v.id,
    number: v.number,
    name: v.name,
    phone: maskVolunteerPhone(v.phone),
    community: names.community(v.communityCode) ?? { code: v.communityCode, name: v.communityCode },
    skills: parseSkills(v.skills),
    status: v.status as VolunteerStatus,
    rejectionReason: v.rejectionReason,
    createdAt: v.createdAt.toISOString(),
    approvedAt: v.approvedAt ? v.approvedAt.toISOString() : null
  }
}

export function presentSignup(s: ActivitySignup, extra: { waitlistPosition?: number; volunteer?: { id: string; name: string } } = {}): SignupView {
  return {
    id: s.id,
    activityId: s.activityId,
    status: s.status as SignupStatus,
    ...(s.status === 'waitlisted' && extra.waitlistPosition !== undefined ? { waitlistPosition: extra.waitlistPosition } : {}),
    checkinAt: s.checkinAt ? s.checkinAt.toISOString() : null,
    checkoutAt: s.checkoutAt ? s.checkoutAt.toISOString() : null,
    hours: minutesToHours(s.serviceMinutes),
    ...(extra.volunteer ? { volunteer: extra.volunteer } : {}),
    createdAt: s.createdAt.toISOString()
  }
}

/** Hours to one decimal, as volunteer records show them. */
export function minutesToHours(minutes: number): number {
  return Math.round((minutes / 60) * 10) / 10
}

export function presentActivity(a: VolunteerActivity, names: TerritoryNames, extra: { waitlisted: number; showCode: boolean; mySignup?: SignupView | null }): ActivityView {
  return {
    id: a.id,
    title: a.title,
    description: a.description,
    kind: a.kind as ActivityKind,
    place: a.place,
    location: a.lat !== null && a.lng !== null ? presentPoint(a.lat, a.lng) : null,
    community: names.community(a.communityCode),
    streetCode: a.streetCode,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    signupDeadline: a.signupDeadline.toISOString(),
    capacity: a.capacity,
    signedUp: a.signedUp,
    remaining: Math.max(0, a.capacity - a.signedUp),
    waitlisted: extra.waitlisted,
    cancelled: a.cancelled,
    ...(extra.showCode ? { checkinCode: a.checkinCode } : {}),
    ...(extra.mySignup !== undefined ? { mySignup: extra.mySignup } : {})
  }
}
