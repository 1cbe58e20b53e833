import { Column, Entity, Index, PrimaryColumn } from 'typeorm'

/** A sub-district (街道). `code` is the national 9-digit code, e.g. 140213066 for 水泊寺. */
@Entity('streets')
export class Street {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  code: string

  @Column({ type: 'varchar', length: 64 })
  name: string

  @Column({ type: 'boolean', default: false })
  synthetic: boolean
}

/** A community (社区) or village (村) of a street. */
@Entity('communities')
@Index('IDX_communities_street', ['streetCode'])
export class Community {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  code: string

  @Column({ name: 'street_code', type: 'varchar', length: 16 })
  streetCode: string

  @Column({ type: 'varchar', length: 64 })
  name: string

  /** 'community' (社区) or 'village' (村). */
  @Column({ type: 'varchar', length: 16, default: 'community' })
  kind: string

  @Column({ type: 'boolean', default: false })
  synthetic: boolean
}

/**
 * A grid (网格): the smallest unit of the net. Its GeoJSON polygon is the truth; the bounding box
 * columns feed the in-memory spatial index and cheap SQL pre-filters.
 */
@Entity('grids')
@Index('IDX_grids_community', ['communityCode'])
@Index('IDX_grids_street', ['streetCode'])
export class Grid {
  @PrimaryColumn({ type: 'varchar', length: 24 })
  code: string

  @Column({ type: 'varchar', length: 64 })
  name: string

  @Column({ name: 'community_code', type: 'varchar', length: 16 })
  communityCode: string

  @Column({ name: 'street_code', type: 'varchar', length: 16 })
  streetCode: string

  /** GeoJSON Polygon geometry, `{"type":"Polygon","coordinates":[[[lng,lat],…]]}`. */
  @Column({ type: 'text' })
  polygon: string

  @Column({ name: 'min_lat', type: 'double' })
  minLat: number

  @Column({ name: 'min_lng', type: 'double' })
  minLng: number

  @Column({ name: 'max_lat', type: 'double' })
  maxLat: number

  @Column({ name: 'max_lng', type: 'double' })
  maxLng: number

  @Column({ type: 'boolean', default: false })
  synthetic: boolean
}

/** A functional department (职能部门) with a ticket queue of its own. */
@Entity('departments')
export class Department {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  code: string

  @Column({ type: 'varchar', length: 64 })
  name: string
}
