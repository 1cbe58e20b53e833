/**
 * Time limits (SLA): categories with their limits in working minutes, the working-time clock of the
 * Chinese calendar. The overdue escalation job (./overdue.job.ts) is not re-exported here: it uses the
 * tickets module, which uses this index, and lifecycle.ts imports it directly to keep imports acyclic.
 */
export { getCategory, findCategory, invalidateCategories, listCategories, createCategory, updateCategory, presentCategory, type CategoryDefinition } from './categories.service'
export { PerSourceCache, REFERENCE_TTL_MS } from './reference-cache'
export { addWorkingTime, deadlineAfter, clockMinutesBetween, workingMinutesBetween, isWorkingDay, WORKING_WINDOWS, OFFICE_UTC_OFFSET_MINUTES } from './working-time'
export { createCategoriesRouter } from './sla.routes'
export { createAdminCategoriesRouter } from './admin-categories.routes'
export { TicketCategory } from './category.entity'
