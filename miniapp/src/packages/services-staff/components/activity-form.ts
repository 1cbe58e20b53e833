import { chinaClock, type ActivityKind, type ActivityView } from '@palm/shared'
import { beijingIso, formatClock } from '../../../utils/format'

/** The activity form as staff fill it: Beijing dates and times, capacity as typed. */
export interface ActivityDraft {
  title: string
  description: string
  kind: ActivityKind
  place: string
  date: string
  start: string
  end: string
  deadlineDate: string
  deadlineTime: string
  capacity: string
}

export function activityDraftOf(a?: ActivityView): ActivityDraft {
  if (!a) {
    const tomorrow = chinaClock(new Date(Date.now() + 86_400_000)).dateKey
    return { title: '', description: '', kind: 'publicity', place: '', date: tomorrow, start: '09:00', end: '11:00', deadlineDate: tomorrow, deadlineTime: '08:00', capacity: '20' }
  }
  const day = (iso: string) => chinaClock(new Date(iso)).dateKey
  return {
    title: a.title,
    description: a.description,
    kind: a.kind,
    place: a.place,
    date: day(a.startsAt),
    start: formatClock(a.startsAt),
    end: formatClock(a.endsAt),
    deadlineDate: day(a.signupDeadline),
    deadlineTime: formatClock(a.signupDeadline),
    capacity: String(a.capacity)
  }
}

/** The API's fields: instants with +08:00; an activity ends on the day it starts. */
export function activityFieldsOf(d: ActivityDraft) {
  return {
    title: d.title,
    description: d.description,
    kind: d.kind,
    place: d.place,
    startsAt: beijingIso(d.date, d.start),
    endsAt: beijingIso(d.date, d.end),
    signupDeadline: beijingIso(d.deadlineDate, d.deadlineTime),
    capacity: Number(d.capacity)
  }
}
