import { In, type EntityManager } from 'typeorm'
import { Community, Street } from './territory.entity'

export interface CodeName {
  code: string
  name: string
}

/** Names of the streets and communities a page of rows refers to; an unknown code is named by itself. */
export interface TerritoryNames {
  street: (code: string | null | undefined) => CodeName | null
  community: (code: string | null | undefined) => CodeName | null
}

/** Loads the names a page of rows needs, in two queries (presenters take the result). */
export async function loadTerritoryNames(
  em: EntityManager,
  codes: { streetCodes?: Iterable<string | null | undefined>; communityCodes?: Iterable<string | null | undefined> }
): Promise<TerritoryNames> {
  const streetCodes = [...new Set([...(codes.streetCodes ?? [])].filter((c): c is string => !!c))]
  const communityCodes = [...new Set([...(codes.communityCodes ?? [])].filter((c): c is string => !!c))]
  const [streets, communities] = await Promise.all([
    streetCodes.length ? em.find(Street, { where: { code: In(streetCodes) } }) : Promise.resolve([]),
    communityCodes.length ? em.find(Community, { where: { code: In(communityCodes) } }) : Promise.resolve([])
  ])
  const streetByCode = new Map(streets.map((s) => [s.code, { code: s.code, name: s.name }]))
  const communityByCode = new Map(communities.map((c) => [c.code, { code: c.code, name: c.name }]))
  return {
    street: (code) => (code ? (streetByCode.get(code) ?? { code, name: code }) : null),
    community: (code) => (code ? (communityByCode.get(code) ?? { code, name: code }) : null)
  }
}
