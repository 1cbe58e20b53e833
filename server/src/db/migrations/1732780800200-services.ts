import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'
import { col } from '../columns'

const idx = (name: string, columnNames: string[], isUnique = false) => new TableIndex({ name, columnNames, isUnique })

/**
 * Resident services (issue 5): testing points and their request support, legal stations, providers,
 * schedules, slots and bookings, the hazard ledger, the anti-fraud volunteer alliance, and the
 * service notices handed to the notifications module. Counters (`booked`, `signed_up`) move
 * only by conditional UPDATE; "one per person" rules are unique indexes.
 */
export class Services1732780800200 implements MigrationInterface {
  name = 'Services1732780800200'

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'testing_points',
        columns: [
          col.key('id'),
          col.varchar('name', 64),
          col.varchar('address', 200),
          col.double('lat'),
          col.double('lng'),
          col.varchar('community_code', 16),
          col.varchar('street_code', 16),
          col.text('opening_hours'),
          col.varchar('status', 16),
          col.varchar('queue_level', 16),
          col.varchar('request_ticket_id', 36, { isNullable: true }),
          col.varchar('created_by', 36, { isNullable: true }),
          col.boolean('synthetic'),
          col.datetime('created_at'),
          col.datetime('updated_at')
        ],
        indices: [idx('IDX_testing_points_community', ['community_code']), idx('IDX_testing_points_street', ['street_code']), idx('UQ_testing_points_request', ['request_ticket_id'], true)]
      })
    )
    await q.createTable(
      new Table({
        name: 'testing_point_supports',
        columns: [col.key('id'), col.varchar('ticket_id', 36), col.varchar('user_id', 36), col.datetime('created_at'), col.datetime('notified_at', { isNullable: true })],
        indices: [idx('UQ_testing_point_supports_ticket_user', ['ticket_id', 'user_id'], true), idx('IDX_testing_point_supports_user', ['user_id'])]
      })
    )
    await q.createTable(
      new Table({
        name: 'legal_stations',
        columns: [
          col.key('id'),
          col.varchar('name', 64),
          col.varchar('level', 16),
          col.varchar('kind', 32),
          col.varchar('street_code', 16, { isNullable: true }),
          col.varchar('community_code', 16, { isNullable: true }),
          col.varchar('department_code', 32, { isNullable: true }),
          col.varchar('address', 200),
          col.double('lat', { isNullable: true }),
          col.double('lng', { isNullable: true }),
          col.varchar('phone', 32, { isNullable: true }),
          col.text('topics'),
          col.integer('min_lead_minutes'),
          col.integer('cancel_cutoff_minutes'),
          col.boolean('active', true),
          col.boolean('synthetic'),
          col.datetime('created_at'),
          col.datetime('updated_at')
        ],
        indices: [idx('IDX_legal_stations_street', ['street_code']), idx('IDX_legal_stations_community', ['community_code'])]
      })
    )
    await q.createTable(
      new Table({
        name: 'legal_providers',
        columns: [
          col.key('id'),
          col.varchar('station_id', 36),
          col.varchar('name', 64),
          col.varchar('kind', 16),
          col.text('topics'),
          col.varchar('bio', 500),
          col.varchar('user_id', 36, { isNullable: true }),
          col.boolean('active', true),
          col.boolean('synthetic'),
          col.datetime('created_at')
        ],
        indices: [idx('IDX_legal_providers_station', ['station_id']), idx('IDX_legal_providers_user', ['user_id'])]
      })
    )
    await q.createTable(
      new Table({
        name: 'legal_schedules',
        columns: [
          col.key('id'),
          col.varchar('provider_id', 36),
          col.integer('weekday'),
          col.varchar('start_time', 5),
          col.varchar('end_time', 5),
          col.integer('slot_minutes'),
          col.integer('capacity'),
          col.boolean('active', true),
          col.datetime('created_at')
        ],
        indices: [idx('IDX_legal_schedules_provider', ['provider_id'])]
      })
    )
    await q.createTable(
      new Table({
        name: 'legal_slots',
        columns: [
          col.key('id'),
          col.varchar('station_id', 36),
          col.varchar('provider_id', 36),
          col.datetime('starts_at'),
          col.datetime('ends_at'),
          col.integer('capacity'),
          col.integer('booked', { default: 0 }),
          col.datetime('created_at')
        ],
        indices: [idx('UQ_legal_slots_provider_start', ['provider_id', 'starts_at'], true), idx('IDX_legal_slots_station_start', ['station_id', 'starts_at'])]
      })
    )
    await q.createTable(
      new Table({
        name: 'legal_bookings',
        columns: [
          col.key('id'),
          col.varchar('slot_id', 36),
          col.varchar('active_slot_id', 36, { isNullable: true }),
          col.varchar('station_id', 36),
          col.varchar('provider_id', 36),
          col.varchar('user_id', 36),
          col.datetime('starts_at'),
          col.varchar('topic', 50),
          col.varchar('description', 500),
          col.varchar('status', 16),
          col.varchar('ticket_id', 36, { isNullable: true }),
          col.text('record_summary', { isNullable: true }),
          col.text('record_advice', { isNullable: true }),
          col.varchar('record_by', 64, { isNullable: true }),
          col.datetime('record_at', { isNullable: true }),
          col.datetime('created_at'),
          col.datetime('cancelled_at', { isNullable: true }),
          col.datetime('updated_at')
        ],
        indices: [
          idx('UQ_legal_bookings_user_active_slot', ['user_id', 'active_slot_id'], true),
          idx('IDX_legal_bookings_slot', ['slot_id']),
          idx('IDX_legal_bookings_station', ['station_id', 'starts_at']),
          idx('IDX_legal_bookings_user', ['user_id', 'created_at'])
        ]
      })
    )
    await q.createTable(
      new Table({
        name: 'hazard_entries',
        columns: [
          col.key('id'),
          col.varchar('number', 32),
          col.varchar('street_code', 16),
          col.varchar('community_code', 16, { isNullable: true }),
          col.varchar('grid_code', 24, { isNullable: true }),
          col.varchar('department_code', 32, { isNullable: true }),
          col.varchar('place', 200),
          col.varchar('building', 100, { isNullable: true }),
          col.varchar('kind', 24),
          col.varchar('risk_level', 16),
          col.text('description'),
          col.double('lat', { isNullable: true }),
          col.double('lng', { isNullable: true }),
          col.varchar('status', 16),
          col.text('appraisal', { isNullable: true }),
          col.varchar('appraisal_org', 100, { isNullable: true }),
          col.text('rectification_plan', { isNullable: true }),
          col.datetime('rectification_deadline', { isNullable: true }),
          col.varchar('source_ticket_id', 36, { isNullable: true }),
          col.varchar('created_by', 36),
          col.datetime('created_at'),
          col.datetime('updated_at'),
          col.datetime('closed_at', { isNullable: true })
        ],
        indices: [
          idx('UQ_hazard_entries_number', ['number'], true),
          idx('UQ_hazard_entries_source_ticket', ['source_ticket_id'], true),
          idx('IDX_hazard_entries_street_status', ['street_code', 'status', 'created_at']),
          idx('IDX_hazard_entries_community_status', ['community_code', 'status'])
        ]
      })
    )
    await q.createTable(
      new Table({
        name: 'hazard_entry_events',
        columns: [
          col.key('id'),
          col.varchar('entry_id', 36),
          col.integer('seq'),
          col.varchar('event', 32),
          col.varchar('from_status', 16, { isNullable: true }),
          col.varchar('to_status', 16),
          col.varchar('actor_id', 36),
          col.varchar('actor_role', 32),
          col.varchar('actor_name', 64),
          col.text('note', { isNullable: true }),
          col.datetime('at')
        ],
        indices: [idx('UQ_hazard_entry_events_seq', ['entry_id', 'seq'], true)]
      })
    )
    await q.createTable(
      new Table({
        name: 'volunteers',
        columns: [
          col.key('id'),
          col.varchar('user_id', 36),
          col.varchar('number', 32),
          col.varchar('name', 32),
          col.varchar('phone', 20),
          col.varchar('community_code', 16),
          col.varchar('street_code', 16),
          col.text('skills'),
          col.varchar('status', 16),
          col.varchar('rejection_reason', 500, { isNullable: true }),
          col.varchar('decided_by', 36, { isNullable: true }),
          col.datetime('approved_at', { isNullable: true }),
          col.boolean('synthetic'),
          col.datetime('created_at'),
          col.datetime('updated_at')
        ],
        indices: [idx('UQ_volunteers_user', ['user_id'], true), idx('UQ_volunteers_number', ['number'], true), idx('IDX_volunteers_community_status', ['community_code', 'status'])]
      })
    )
    await q.createTable(
      new Table({
        name: 'volunteer_activities',
        columns: [
          col.key('id'),
          col.varchar('title', 64),
          col.text('description'),
          col.varchar('kind', 16),
          col.varchar('place', 200),
          col.double('lat', { isNullable: true }),
          col.double('lng', { isNullable: true }),
          col.varchar('community_code', 16, { isNullable: true }),
          col.varchar('street_code', 16, { isNullable: true }),
          col.varchar('department_code', 32, { isNullable: true }),
          col.datetime('starts_at'),
          col.datetime('ends_at'),
          col.datetime('signup_deadline'),
          col.integer('capacity'),
          col.integer('signed_up', { default: 0 }),
          col.integer('waitlist_seq', { default: 0 }),
          col.varchar('checkin_code', 16),
          col.boolean('cancelled'),
          col.varchar('organiser', 64),
          col.varchar('created_by', 36),
          col.boolean('synthetic'),
          col.datetime('created_at'),
          col.datetime('updated_at')
        ],
        indices: [idx('IDX_volunteer_activities_start', ['starts_at']), idx('IDX_volunteer_activities_community', ['community_code', 'starts_at'])]
      })
    )
    await q.createTable(
      new Table({
        name: 'activity_signups',
        columns: [
          col.key('id'),
          col.varchar('activity_id', 36),
          col.varchar('active_activity_id', 36, { isNullable: true }),
          col.varchar('user_id', 36),
          col.varchar('status', 16),
          col.integer('waitlist_position', { isNullable: true }),
          col.datetime('checkin_at', { isNullable: true }),
          col.datetime('checkout_at', { isNullable: true }),
          col.integer('service_minutes', { default: 0 }),
          col.datetime('promoted_at', { isNullable: true }),
          col.datetime('created_at'),
          col.datetime('cancelled_at', { isNullable: true })
        ],
        indices: [
          idx('UQ_activity_signups_user_active', ['user_id', 'active_activity_id'], true),
          idx('IDX_activity_signups_activity_status', ['activity_id', 'status', 'waitlist_position']),
          idx('IDX_activity_signups_user', ['user_id', 'checkout_at'])
        ]
      })
    )
    await q.createTable(
      new Table({
        name: 'volunteer_awards',
        columns: [
          col.key('id'),
          col.varchar('volunteer_id', 36),
          col.varchar('title', 64),
          col.varchar('issuer', 64),
          col.datetime('awarded_at'),
          col.varchar('created_by', 36),
          col.datetime('created_at')
        ],
        indices: [idx('IDX_volunteer_awards_volunteer', ['volunteer_id'])]
      })
    )
    await q.createTable(
      new Table({
        name: 'anti_fraud_alerts',
        columns: [
          col.key('id'),
          col.varchar('title', 64),
          col.text('body'),
          col.varchar('level', 16),
          col.varchar('publisher', 64),
          col.varchar('published_by', 36),
          col.datetime('published_at'),
          col.boolean('synthetic')
        ],
        indices: [idx('IDX_anti_fraud_alerts_published', ['published_at', 'id'])]
      })
    )
    await q.createTable(
      new Table({
        name: 'service_notices',
        columns: [
          col.key('id'),
          col.varchar('user_id', 36),
          col.varchar('kind', 48),
          col.varchar('title', 64),
          col.varchar('body', 500),
          col.varchar('subject_ref', 80),
          col.datetime('created_at'),
          col.datetime('delivered_at', { isNullable: true })
        ],
        indices: [idx('IDX_service_notices_user', ['user_id', 'created_at']), idx('IDX_service_notices_pending', ['delivered_at', 'created_at'])]
      })
    )
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'service_notices',
      'anti_fraud_alerts',
      'volunteer_awards',
      'activity_signups',
      'volunteer_activities',
      'volunteers',
      'hazard_entry_events',
      'hazard_entries',
      'legal_bookings',
      'legal_slots',
      'legal_schedules',
      'legal_providers',
      'legal_stations',
      'testing_point_supports',
      'testing_points'
    ])
      await q.dropTable(table)
  }
}
