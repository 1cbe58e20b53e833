import { z } from 'zod'

export const ROLES = ['resident', 'volunteer', 'grid_worker', 'community_staff', 'street_admin', 'district_admin', 'department_staff'] as const
export const RoleSchema = z.enum(ROLES)
export type Role = z.infer<typeof RoleSchema>

/** Residents and volunteers sign in with WeChat; everyone else is staff with a scope. */
export const CITIZEN_ROLES = ['resident', 'volunteer'] as const satisfies readonly Role[]
export const STAFF_ROLES = ['grid_worker', 'community_staff', 'street_admin', 'district_admin', 'department_staff'] as const satisfies readonly Role[]
export type StaffRole = (typeof STAFF_ROLES)[number]

export function isStaffRole(role: Role): role is StaffRole {
  return (STAFF_ROLES as readonly Role[]).includes(role)
}

/** The territory (or department) a staff account acts for. Residents have an empty scope. */
export const ScopeSchema = z.object({
  /** Grid workers: the primary grid. */
  gridCode: z.string().optional(),
  /** Grid workers: every grid they cover (primary first); their scope is all of them. */
  gridCodes: z.array(z.string()).optional(),
  communityCode: z.string().optional(),
  streetCode: z.string().optional(),
  departmentCode: z.string().optional()
})
export type Scope = z.infer<typeof ScopeSchema>

/** The supervision ladder, lowest first: escalation and returns move one step up it. */
export const SUPERVISION_LEVELS = ['grid', 'community', 'street', 'district'] as const
export type SupervisionLevel = (typeof SUPERVISION_LEVELS)[number]
