import { DEPARTMENTS } from '@palm/shared'
import type { MigrationInterface, QueryRunner } from 'typeorm'

/**
 * The district's departments are reference data every installation needs (routing rules name them),
 * not demo data: they arrive with the schema, in production too. Rows already present are left alone.
 */
export class ReferenceData1732780800060 implements MigrationInterface {
  name = 'ReferenceData1732780800060'

  async up(q: QueryRunner): Promise<void> {
    for (const department of DEPARTMENTS) {
      const found: unknown[] = await q.query('SELECT code FROM departments WHERE code = ?', [department.code])
      if (found.length === 0) await q.query('INSERT INTO departments (code, name) VALUES (?, ?)', [department.code, department.name])
    }
  }

  async down(): Promise<void> {
    // Reference rows may be referenced by tickets and accounts; they are not removed.
  }
}
