/**
 * The territory's supervisors: community staff, and the street and district centres above them.
 * They decide extensions, review held board items, approve volunteers, keep rosters, contacts and
 * grid profiles, and use the admin pages. Zod-free on purpose, so a page can name them without
 * loading the schemas (docs/performance.md "Keeping the first page light").
 */
export const SUPERVISOR_ROLES = ['community_staff', 'street_admin', 'district_admin'] as const
