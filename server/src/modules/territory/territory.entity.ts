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

  /** Its GeoJSON Polygon or MultiPolygon (WGS-84) when the territory file gave one; grids are checked against it. */
  @Column({ type: 'text', nullable: true })
  polygon: string | null
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

  /** Its GeoJSON Polygon or MultiPolygon (WGS-84) when the territory file gave one; null when only grids have boundaries. */
  @Column({ type: 'text', nullable: true })
  polygon: string | null
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

  /** A switched-off department takes no new tickets: no rule may name it (admin console, docs/console.md). */
  @Column({ type: 'boolean', default: true })
  active: boolean
}

/**
 * One row (id 'territory') whose version each territory import that changes something bumps. Every
 * instance polls it (a primary-key read) to rebuild its grid index without a restart.
 */
@Entity('territory_versions')
export class TerritoryVersion {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  id: string

  @Column({ type: 'integer' })
  version: number

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date
}
