import { describe, expect, it } from 'vitest'
import { ExportAuditQuerySchema, ListAuditQuerySchema } from './audit.schema'

const firstPath = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) => r.error?.issues[0]?.path.join('.')

describe('ListAuditQuerySchema', () => {
  it('takes the filters, with a page of 20 unless told', () => {
    const q = ListAuditQuerySchema.parse({ actor: 'u1', action: 'ticket.transition', object: 'ticket:abc', from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00+08:00' })
    expect(q).toMatchObject({ actor: 'u1', action: 'ticket.transition', object: 'ticket:abc', limit: 20 })
    expect(ListAuditQuerySchema.parse({ object: 'ticket' }).object).toBe('ticket')
  })

  it.each([
    [{ action: 'ticket.delete' }, 'action'],
    [{ object: 'Ticket:1' }, 'object'],
    [{ from: 'yesterday' }, 'from'],
    [{ limit: '51' }, 'limit']
  ])('refuses %j at “%s”', (query, path) => {
    expect(firstPath(ListAuditQuerySchema.safeParse(query))).toBe(path)
  })

  it('has no paging in the export', () => {
    expect(ExportAuditQuerySchema.parse({ cursor: 'x', limit: 5 })).toEqual({})
  })
})
