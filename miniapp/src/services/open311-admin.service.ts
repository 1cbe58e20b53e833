import type { CreateOpen311KeyInput, Open311KeyCreatedView, Open311KeyList, Open311KeyView } from '@palm/shared'
import { apiRequest } from './api-client'

/** Open311 API keys for the district centre (docs/open311.md): list, create (the key is answered once), revoke. */
export const open311AdminService = {
  listKeys: () => apiRequest<Open311KeyList>({ path: '/api/admin/open311/keys' }),
  createKey: (input: CreateOpen311KeyInput) => apiRequest<Open311KeyCreatedView>({ method: 'POST', path: '/api/admin/open311/keys', body: input }),
  revokeKey: (id: string) => apiRequest<Open311KeyView>({ method: 'POST', path: `/api/admin/open311/keys/${encodeURIComponent(id)}/revoke` })
}
