import type { DataSource, EntityManager } from 'typeorm'
import type { LatLng, ListGridsQuery } from '@palm/shared'
import { NotFoundError } from '../../errors'
import { getGridIndex, invalidateGridIndex } from './grid-index-cache'
import { Community, Department, Grid, Street } from './territory.entity'

export function listStreets(em: EntityManager): Promise<Street[]> {
  return em.getRepository(Street).find({ order: { code: 'ASC' } })
}

/**
 * The communities and villages of a street, or of the whole district.
 * @throws NotFoundError when the street does not exist, so a picker bug shows instead of an empty list
 */
export async function listCommunities(em: EntityManager, streetCode?: string): Promise<Community[]> {
  if (streetCode === undefined) return em.getRepository(Community).find({ order: { code: 'ASC' } })
  if (!(await em.getRepository(Street).existsBy({ code: streetCode }))) throw new NotFoundError('There is no such street.')
  return em.getRepository(Community).find({ where: { streetCode }, order: { code: 'ASC' } })
}

export function listDepartments(em: EntityManager): Promise<Department[]> {
  return em.getRepository(Department).find({ order: { code: 'ASC' } })
}

/**
 * The grids (with polygons) of one community or one street, for the map and the grid picker.
 * @throws NotFoundError when the community or street named does not exist
 */
export async function listGrids(em: EntityManager, query: ListGridsQuery): Promise<Grid[]> {
  if (query.communityCode !== undefined) {
    if (!(await em.getRepository(Community).existsBy({ code: query.communityCode }))) throw new NotFoundError('There is no such community.')
    return em.getRepository(Grid).find({ where: { communityCode: query.communityCode }, order: { code: 'ASC' } })
  }
  const streetCode = query.streetCode ?? ''
  if (!(await em.getRepository(Street).existsBy({ code: streetCode }))) throw new NotFoundError('There is no such street.')
  return em.getRepository(Grid).find({ where: { streetCode }, order: { code: 'ASC' } })
}

export interface LocatedPlace {
  street: Street
  community: Community
  grid: Grid
}

/**
 * Which grid (and so which community and street) holds a point: the cached spatial index finds the
 * grid, the rows give the names. When the index names a grid that is gone (grids were edited by
 * another path without invalidating), the index is rebuilt once before giving up.
 * @throws NotFoundError `out_of_district` when no grid holds the point
 */
export async function locatePoint(ds: DataSource, point: LatLng): Promise<LocatedPlace> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const hit = (await getGridIndex(ds)).locate(point)
    if (!hit) break
    const [grid, community, street] = await Promise.all([
      ds.getRepository(Grid).findOneBy({ code: hit.code }),
      ds.getRepository(Community).findOneBy({ code: hit.communityCode }),
      ds.getRepository(Street).findOneBy({ code: hit.streetCode })
    ])
    if (grid && community && street) return { street, community, grid }
    invalidateGridIndex(ds)
  }
  throw new NotFoundError('This place is outside Pingcheng District.', 'out_of_district')
}
