export { createHazardsRouter } from './hazards.routes'
export { HazardEntry, HazardEntryEvent } from './hazard.entity'
