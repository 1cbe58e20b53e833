import { SEED_PLACES } from '@palm/shared'
import { withTx } from '../../db/tx'
import type { AppDeps } from '../../deps'
import { seededUserId, seededUsername } from '../demo/index'
import { seedLegal } from '../legal/legal.seed'
import { seedTestingPoints } from '../testing-points/testing-points.seed'
import { seedAlliance } from '../volunteers/volunteers.seed'
import { seedCommunities } from './seed-helpers'

/**
 * Demo data of the resident services, on top of the demo territory: testing points (one at
 * 绿地世纪城), the legal network with slots for two weeks, and the anti-fraud alliance. Idempotent
 * (stable ids, INSERT … IGNORE): a second run adds only slots for days that came into the window.
 */
export async function seedServices(deps: Pick<AppDeps, 'ds' | 'now' | 'log'>): Promise<void> {
  const now = deps.now()
  const counts = await withTx(deps.ds, async (em) => {
    const communities = await seedCommunities(em, 1)
    const organiserId = seededUserId(seededUsername.communityStaff(SEED_PLACES.yongheCommunity.communityCode))
    return {
      testingPoints: await seedTestingPoints(em, now, communities),
      legal: await seedLegal(em, now, communities),
      alliance: await seedAlliance(em, now, organiserId)
    }
  })
  deps.log.info(counts, 'demo services seeded')
}
