/**
 * Time limits are minutes of WORKING time (09:00–12:00 and 13:30–18:00 Beijing time on the days the
 * Chinese calendar makes working days, make-up days included). One working day is therefore 450
 * minutes: "resolve within 3 working days" is 1,350.
 *
 * Zod-free on purpose: the report form shows these on its first paint, before any schema is loaded
 * (docs/performance.md "Keeping the first page light").
 */
export const WORKING_MINUTES_PER_DAY = 450
export const WORKING_HOUR = 60

/** Formats working minutes for people: "2 个工作小时", "3 个工作日", "30 分钟". */
export function formatWorkingMinutes(minutes: number): string {
  if (minutes % WORKING_MINUTES_PER_DAY === 0) return `${minutes / WORKING_MINUTES_PER_DAY} 个工作日`
  if (minutes % WORKING_HOUR === 0) return `${minutes / WORKING_HOUR} 个工作小时`
  return `${minutes} 分钟`
}
