import type { VolunteerView } from '@palm/shared'
import { useResource } from '../../../hooks/use-resource'
import { getSession } from '../../../services/session'
import { volunteersService } from '../../../services/volunteers.service'

/**
 * The caller's alliance registration: `null` when not registered (the API's 204) or not signed in;
 * failures stay errors.
 */
export function useMyVolunteer() {
  return useResource<VolunteerView | null>(async () => (getSession() ? volunteersService.me() : null))
}
