export { createLegalRouter } from './legal.routes'
export { generateSlots } from './legal-admin.service'
export { LegalBooking, LegalProvider, LegalSchedule, LegalSlot, LegalStation } from './legal.entity'
