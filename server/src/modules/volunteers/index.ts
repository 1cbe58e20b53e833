export { createVolunteersRouter } from './volunteers.routes'
export { ActivitySignup, AntiFraudAlert, Volunteer, VolunteerActivity, VolunteerAward } from './volunteer.entity'
