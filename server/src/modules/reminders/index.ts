/** Booking and activity reminders, the day before and an hour before, through the outbox (docs/messages.md "Reminders"). */
export { remindersJob, sendDueReminders, reminderKindAt, type ReminderKind } from './reminders.job'
export { ServiceReminder } from './reminder.entity'
