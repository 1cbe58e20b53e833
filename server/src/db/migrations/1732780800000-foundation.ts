import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm'
import { col } from '../columns'

export class Foundation1732780800000 implements MigrationInterface {
  name = 'Foundation1732780800000'

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({ name: 'streets', columns: [col.key('code', 16), col.varchar('name', 64), col.boolean('synthetic')] }))
    await q.createTable(
      new Table({
        name: 'communities',
        columns: [col.key('code', 16), col.varchar('street_code', 16), col.varchar('name', 64), col.varchar('kind', 16, { default: "'community'" }), col.boolean('synthetic')],
        indices: [new TableIndex({ name: 'IDX_communities_street', columnNames: ['street_code'] })]
      })
    )
    await q.createTable(
      new Table({
        name: 'grids',
        columns: [
          col.key('code', 24),
          col.varchar('name', 64),
          col.varchar('community_code', 16),
          col.varchar('street_code', 16),
          col.text('polygon'),
          col.double('min_lat'),
          col.double('min_lng'),
          col.double('max_lat'),
          col.double('max_lng'),
          col.boolean('synthetic')
        ],
        indices: [new TableIndex({ name: 'IDX_grids_community', columnNames: ['community_code'] }), new TableIndex({ name: 'IDX_grids_street', columnNames: ['street_code'] })]
      })
    )
    await q.createTable(new Table({ name: 'departments', columns: [col.key('code', 32), col.varchar('name', 64)] }))
    await q.createTable(
      new Table({
        name: 'users',
        columns: [
          col.key('id'),
          col.varchar('role', 32),
          col.varchar('display_name', 64),
          col.varchar('openid', 64, { isNullable: true }),
          col.varchar('unionid', 64, { isNullable: true }),
          col.varchar('openid_source', 8, { isNullable: true }),
          col.varchar('username', 64, { isNullable: true }),
          col.varchar('password_hash', 255, { isNullable: true }),
          col.varchar('totp_secret', 64, { isNullable: true }),
          col.bigint('totp_last_step', { isNullable: true }),
          col.varchar('phone', 20, { isNullable: true }),
          col.varchar('grid_code', 24, { isNullable: true }),
          col.varchar('community_code', 16, { isNullable: true }),
          col.varchar('street_code', 16, { isNullable: true }),
          col.varchar('department_code', 32, { isNullable: true }),
          col.boolean('on_duty'),
          col.boolean('disabled'),
          col.integer('failed_logins', { default: 0 }),
          col.datetime('locked_until', { isNullable: true }),
          col.varchar('demo_key', 96, { isNullable: true }),
          col.boolean('synthetic'),
          col.datetime('created_at'),
          col.datetime('updated_at')
        ],
        indices: [
          new TableIndex({ name: 'UQ_users_openid', columnNames: ['openid'], isUnique: true }),
          new TableIndex({ name: 'UQ_users_username', columnNames: ['username'], isUnique: true }),
          new TableIndex({ name: 'UQ_users_demo_key', columnNames: ['demo_key'], isUnique: true }),
          new TableIndex({ name: 'IDX_users_grid', columnNames: ['grid_code', 'role'] }),
          new TableIndex({ name: 'IDX_users_community', columnNames: ['community_code', 'role'] })
        ]
      })
    )
    await q.createTable(
      new Table({
        name: 'refresh_tokens',
        columns: [
          col.key('id'),
          col.varchar('user_id', 36),
          col.varchar('family_id', 36),
          col.varchar('token_hash', 64),
          col.datetime('expires_at'),
          col.datetime('used_at', { isNullable: true }),
          col.datetime('revoked_at', { isNullable: true }),
          col.datetime('created_at')
        ],
        indices: [
          new TableIndex({ name: 'UQ_refresh_tokens_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'IDX_refresh_tokens_user', columnNames: ['user_id'] }),
          new TableIndex({ name: 'IDX_refresh_tokens_family', columnNames: ['family_id'] })
        ]
      })
    )
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['refresh_tokens', 'users', 'departments', 'grids', 'communities', 'streets']) await q.dropTable(table)
  }
}
