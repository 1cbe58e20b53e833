import { HazardEntry, HazardEntryEvent } from '../hazards/hazard.entity'
import { LegalBooking, LegalProvider, LegalSchedule, LegalSlot, LegalStation } from '../legal/legal.entity'
import { TestingPoint, TestingPointSupport } from '../testing-points/testing-point.entity'
import { ActivitySignup, AntiFraudAlert, Volunteer, VolunteerActivity, VolunteerAward } from '../volunteers/volunteer.entity'

/** The entities of the resident services (migration Services1732780800200), registered in db/entities.ts. */
export const serviceEntities = [
  TestingPoint,
  TestingPointSupport,
  LegalStation,
  LegalProvider,
  LegalSchedule,
  LegalSlot,
  LegalBooking,
  HazardEntry,
  HazardEntryEvent,
  Volunteer,
  VolunteerActivity,
  ActivitySignup,
  VolunteerAward,
  AntiFraudAlert
]
