import { RefreshToken } from '../modules/auth/refresh-token.entity'
import { User } from '../modules/auth/user.entity'
import { StaffGrid } from '../modules/auth/staff-grid.entity'
import { RosterEntry, StaffLeave } from '../modules/duty/duty.entity'
import { Community, Department, Grid, Street, TerritoryVersion } from '../modules/territory/territory.entity'
import { ReplyTemplate, Ticket, TicketAttachment, TicketCohandler, TicketEventRow, TicketFollower } from '../modules/tickets/ticket.entity'
import { Upload } from '../modules/uploads/upload.entity'
import { IdempotencyKey } from '../modules/idempotency/index'
import { HazardEntry, HazardEntryEvent } from '../modules/hazards/hazard.entity'
import { LegalBooking, LegalProvider, LegalSchedule, LegalSlot, LegalStation } from '../modules/legal/legal.entity'
import { TestingPoint, TestingPointSupport } from '../modules/testing-points/testing-point.entity'
import { ActivitySignup, AntiFraudAlert, Volunteer, VolunteerActivity, VolunteerAward } from '../modules/volunteers/volunteer.entity'
import { RoutingRule } from '../modules/routing/routing-rule.entity'
import { TicketCategory } from '../modules/sla/category.entity'
import { OverdueEscalation } from '../modules/tickets/overdue-escalation.entity'
import { Message, NotificationOutbox, SubscriptionGrant } from '../modules/notifications/notification.entity'
import { Publication } from '../modules/publication/publication.entity'
import { ConsentRecord } from '../modules/auth/consent-record.entity'
import { RetentionPurge } from '../modules/privacy/privacy.entity'
import { Open311Key, Open311Request } from '../modules/open311/open311.entity'
import { AuditEvent, AuditHead } from '../modules/audit/audit.entity'
import { RateLimitCounter } from '../modules/limits/rate-limit.entity'
import { CommunityOffice, GridCounts, GridEntry, Place, StaffCard } from '../modules/places/places.entity'
import { StatsDaily, StatsHotspot, StatsRankingWeights, StatsRollup, StatsTicketFacts } from '../modules/stats/stats.entity'
import { ServiceReminder } from '../modules/reminders/reminder.entity'

/** Every entity of every module; a module adds its own here (one line) with its migration. */
export const entities = [
  Street,
  Community,
  Grid,
  Department,
  TerritoryVersion,
  User,
  RefreshToken,
  StaffGrid,
  RosterEntry,
  StaffLeave,
  Ticket,
  TicketEventRow,
  TicketAttachment,
  TicketFollower,
  TicketCohandler,
  ReplyTemplate,
  IdempotencyKey,
  Upload,
  TestingPoint,
  TestingPointSupport,
  LegalStation,
  LegalProvider,
  LegalSchedule,
  LegalSlot,
  LegalBooking,
  HazardEntry,
  HazardEntryEvent,
  Volunteer,
  VolunteerActivity,
  ActivitySignup,
  VolunteerAward,
  AntiFraudAlert,
  TicketCategory,
  RoutingRule,
  OverdueEscalation,
  NotificationOutbox,
  Message,
  SubscriptionGrant,
  Publication,
  AuditEvent,
  AuditHead,
  Open311Key,
  Open311Request,
  RateLimitCounter,
  ConsentRecord,
  RetentionPurge,
  StatsTicketFacts,
  StatsDaily,
  StatsRollup,
  StatsRankingWeights,
  StatsHotspot,
  Place,
  GridCounts,
  GridEntry,
  CommunityOffice,
  StaffCard,
  ServiceReminder
]
