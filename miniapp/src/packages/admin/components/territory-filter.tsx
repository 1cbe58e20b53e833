import { useEffect, useState } from 'react'
import type { CommunityView, Scope, StreetView } from '@palm/shared'
import { SelectField } from '../../../components/fields'
import { territoryService } from '../../../services/territory.service'

export interface TerritoryFilterValue {
  streetCode?: string
  communityCode?: string
}

/**
 * Street and community filters within the admin's scope: the district chooses both, a street admin
 * only the community of its street, community staff none (their community is fixed).
 */
export function TerritoryFilter({ scope, value, onChange }: { scope: Scope; value: TerritoryFilterValue; onChange: (v: TerritoryFilterValue) => void }) {
  const [streets, setStreets] = useState<StreetView[]>([])
  const [communities, setCommunities] = useState<CommunityView[]>([])
  const fixedStreet = scope.streetCode
  const street = fixedStreet ?? value.streetCode

  useEffect(() => {
    if (scope.communityCode || fixedStreet) return
    territoryService
      .listStreets()
      .then(setStreets)
      .catch(() => setStreets([]))
  }, [scope.communityCode, fixedStreet])

  useEffect(() => {
    setCommunities([])
    if (scope.communityCode || !street) return
    territoryService
      .listCommunities(street)
      .then(setCommunities)
      .catch(() => setCommunities([]))
  }, [street, scope.communityCode])

  if (scope.communityCode) return null
  return (
    <>
      {fixedStreet ? null : (
        <SelectField
          name='filter-street'
          label='街道'
          options={[{ value: '', label: '全部街道' }, ...streets.map((s) => ({ value: s.code, label: s.name }))]}
          value={value.streetCode ?? ''}
          onChange={(code) => onChange({ streetCode: code || undefined, communityCode: undefined })}
        />
      )}
      {street ? (
        <SelectField
          name='filter-community'
          label='社区'
          options={[{ value: '', label: '全部社区' }, ...communities.map((c) => ({ value: c.code, label: c.name }))]}
          value={value.communityCode ?? ''}
          onChange={(code) => onChange({ streetCode: value.streetCode, communityCode: code || undefined })}
        />
      ) : null}
    </>
  )
}
