export { createDutyRouter, ROSTER_EDITORS } from './duty.routes'
export { RosterEntry, StaffLeave } from './duty.entity'
export { dutyNow, minuteOfWeek, toMinuteOfWeek } from './on-duty'
