import { RefreshToken } from '../modules/auth/refresh-token.entity'
import { User } from '../modules/auth/user.entity'
import { StaffGrid } from '../modules/auth/staff-grid.entity'
import { RosterEntry, StaffLeave } from '../modules/duty/duty.entity'
import { Community, Department, Grid, Street, TerritoryVersion } from '../modules/territory/territory.entity'
import { IdempotencyKey, Ticket, TicketAttachment, TicketEventRow, TicketFollower } from '../modules/tickets/ticket.entity'
import { Upload } from '../modules/uploads/upload.entity'
import { serviceEntities } from '../modules/service-support/service-entities'
import { RoutingRule } from '../modules/routing/routing-rule.entity'
import { TicketCategory } from '../modules/sla/category.entity'
import { OverdueEscalation } from '../modules/sla/overdue-escalation.entity'
import { Message, NotificationOutbox, SubscriptionGrant } from '../modules/notifications/notification.entity'
import { Publication } from '../modules/publication/publication.entity'
import { Open311Key, Open311Request } from '../modules/open311/open311.entity'
import { AuditEvent, AuditHead } from '../modules/audit/audit.entity'
import { RateLimitCounter } from '../modules/limits/rate-limit.entity'

/** Every entity of every module; a module adds its own here (one line) with its migration. */
export const entities = [Street, Community, Grid, Department, TerritoryVersion, User, RefreshToken, StaffGrid, RosterEntry, StaffLeave, Ticket, TicketEventRow, TicketAttachment, TicketFollower, IdempotencyKey, Upload, ...serviceEntities, TicketCategory, RoutingRule, OverdueEscalation, NotificationOutbox, Message, SubscriptionGrant, Publication, AuditEvent, AuditHead, Open311Key, Open311Request, RateLimitCounter]
