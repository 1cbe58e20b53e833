import type { EntityManager } from 'typeorm'
import { isSqlite } from '../../db/tx'
import type { AppDeps } from '../../deps'
import { notifyServiceUsers, type ServiceNoticeInput } from '../notifications/index'
import { ActivitySignup, VolunteerActivity } from './volunteer.entity'

/**
 * Locks the activity row for the rest of the transaction (a no-op UPDATE), so sign-ups, cancellations
 * and promotions of one activity take turns on MariaDB; SQLite runs one write transaction at a time.
 */
export async function lockActivity(em: EntityManager, id: string): Promise<void> {
  await em
    .createQueryBuilder()
    .update(VolunteerActivity)
    .set({ waitlistSeq: () => 'waitlist_seq' })
    .where('id = :id', { id })
    .execute()
}

/** The first waiting sign-up, read with FOR UPDATE on MariaDB so two promotions never pick the same one. */
async function firstWaiting(em: EntityManager, deps: AppDeps, activityId: string): Promise<ActivitySignup | null> {
  const qb = em.getRepository(ActivitySignup).createQueryBuilder('s').where("s.activityId = :a AND s.status = 'waitlisted'", { a: activityId }).orderBy('s.waitlistPosition', 'ASC').take(1)
  if (!isSqlite(deps.ds)) qb.setLock('pessimistic_write')
  return qb.getOne()
}

/**
 * Fills free seats from the waiting list, in the order people joined it; each promoted volunteer
 * is told. A seat freed with nobody waiting goes back to the pool (`signed_up - 1`).
 */
export async function promoteWaiting(em: EntityManager, deps: AppDeps, activity: VolunteerActivity, freedSeats: number, now: Date): Promise<number> {
  const notices: ServiceNoticeInput[] = []
  let promoted = 0
  for (let i = 0; i < freedSeats; i++) {
    const next = await firstWaiting(em, deps, activity.id)
    if (!next) break
    const moved = await em
      .createQueryBuilder()
      .update(ActivitySignup)
      .set({ status: 'confirmed', waitlistPosition: null, promotedAt: now })
      .where("id = :id AND status = 'waitlisted'", { id: next.id })
      .execute()
    if (moved.affected !== 1) break
    promoted++
    notices.push({
      userId: next.userId,
      kind: 'signup_promoted',
      title: '候补成功',
      body: `您已从候补转为正式报名：${activity.title}（${activity.place}）。`
    })
  }
  await notifyServiceUsers(em, deps, notices)
  return promoted
}
