import type { TableColumnOptions } from 'typeorm'

/**
 * Driver-neutral column builders for hand-written migrations. Generated migrations are raw SQL of one
 * driver (docs/architecture.md "Columns and migrations that run on both"), so every migration is written with these and the Table API, and
 * runs unchanged on MySQL, MariaDB and SQLite.
 */
export const col = {
  key: (name: string, length = 36): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isPrimary: true }),
  varchar: (name: string, length: number, opts: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
    name,
    type: 'varchar',
    length: String(length),
    ...opts
  }),
  text: (name: string, opts: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'text', ...opts }),
  integer: (name: string, opts: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'integer', ...opts }),
  bigint: (name: string, opts: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'bigint', ...opts }),
  double: (name: string, opts: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'double', ...opts }),
  boolean: (name: string, defaultValue = false): TableColumnOptions => ({ name, type: 'boolean', default: defaultValue ? 1 : 0 }),
  datetime: (name: string, opts: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'datetime', ...opts })
}
