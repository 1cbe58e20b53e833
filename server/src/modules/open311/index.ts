/** Open311 GeoReport v2: the open standard's endpoints and the district admin's API keys (docs/open311.md). */
export { createOpen311Router, exceptOpen311, OPEN311_PREFIX } from './open311.routes'
export { createOpen311AdminRouter } from './open311.admin.routes'
export { Open311Key, Open311Request } from './open311.entity'
