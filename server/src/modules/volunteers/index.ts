export { createVolunteersRouter } from './volunteers.routes'
export { seedAlliance } from './volunteers.seed'
export { ActivitySignup, AntiFraudAlert, Volunteer, VolunteerActivity, VolunteerAward } from './volunteer.entity'
