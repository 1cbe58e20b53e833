export { seedTerritory, type SeedTerritoryCounts } from './seed-territory'
export { planTerritory, seededUserId, seededUsername, DEMO_TILING_SPEC, YONGHE, type TerritoryPlan } from './territory-plan'
export { buildJitteredTiling, type Tiling, type TilingCell, type TilingSpec } from './jittered-tiling'
export { createPrng, uniform } from './prng'
