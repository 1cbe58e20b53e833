import type { VolunteerView } from '@palm/shared'
import { useResource } from '../../../hooks/use-resource'
import { isApiError } from '../../../services/api-error'
import { getSession } from '../../../services/session'
import { volunteersService } from '../../../services/volunteers.service'

/**
 * The caller's alliance registration: `null` when not registered (the API's 404) or not signed in;
 * other failures stay errors.
 */
export function useMyVolunteer() {
  return useResource<VolunteerView | null>(async () => {
    if (!getSession()) return null
    try {
      return await volunteersService.me()
    } catch (err) {
      if (isApiError(err) && err.status === 404) return null
      throw err
    }
  })
}
