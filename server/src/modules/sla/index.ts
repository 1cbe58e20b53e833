/**
 * Time limits (SLA): categories with their limits in working minutes, the working-time clock of the
 * Chinese calendar. What happens to a ticket past its limit (the overdue escalation job) belongs to
 * tickets/overdue.job.ts, which builds on this module.
 */
export { getCategory, findCategory, invalidateCategories, listCategories, createCategory, updateCategory, presentCategory, type CategoryDefinition } from './categories.service'
export { PerSourceCache, REFERENCE_TTL_MS } from './reference-cache'
export { addWorkingTime, deadlineAfter, clockMinutesBetween, workingMinutesBetween, isWorkingDay, WORKING_WINDOWS, OFFICE_UTC_OFFSET_MINUTES } from './working-time'
export { createCategoriesRouter } from './sla.routes'
export { createAdminCategoriesRouter } from './admin-categories.routes'
export { TicketCategory } from './category.entity'
