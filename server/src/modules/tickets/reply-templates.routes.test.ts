import { ProblemSchema } from '@palm/shared'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer } from '../../../test/factories'
import { createTestContext, type TestContext } from '../../../test/test-app'
import { createTicketWorld, type TicketWorld } from '../../../test/tickets-factories'
import { AuditEvent } from '../audit/audit.entity'
import { ReplyTemplate } from './ticket.entity'

let t: TestContext
let w: TicketWorld

beforeAll(async () => {
  t = await createTestContext()
  w = await createTicketWorld(t.db.ds)
})
afterAll(async () => {
  await t.close()
})

async function expectProblem(res: request.Response, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status)
  expect(ProblemSchema.parse(res.body).code).toBe(code)
  return res.body as { errors?: Array<{ path: string; code: string }> }
}

describe('常用语: reply templates per category, kept by the district', () => {
  const post = (user: typeof w.users.DA, body: object) => request(t.server).post('/api/reply-templates').set('Authorization', bearer(t.deps.config, user)).send(body)

  it('saves a template with known placeholders, lists it for staff, and refuses unknown ones; nothing is written', async () => {
    const saved = await post(w.users.DA, { category: 'sanitation', title: '已清运', body: '您反映的{问题类别}问题（{工单编号}）已清运完毕。' })
    expect(saved.status).toBe(201)
    const before = await t.db.ds.getRepository(ReplyTemplate).count()
    const unknown = await expectProblem(await post(w.users.DA, { category: 'sanitation', title: '错', body: '{姓名}您好，{工单号}已办结' }), 400, 'unknown_placeholder')
    expect(unknown.errors?.[0]).toMatchObject({ path: 'body', code: 'unknown_placeholder' })
    await expectProblem(await post(w.users.DA, { category: 'sanitation', title: '错', body: '已办结 {' }), 400, 'unknown_placeholder')
    const id = (saved.body as { id: string }).id
    const patch = await request(t.server).patch(`/api/reply-templates/${id}`).set('Authorization', bearer(t.deps.config, w.users.DA)).send({ body: '{未知}' })
    await expectProblem(patch, 400, 'unknown_placeholder')
    await expectProblem(await post(w.users.W1, { category: 'sanitation', title: '网格员', body: '已处理' }), 403, 'forbidden')
    await expectProblem(await post(w.users.DA, { category: 'no_such', title: 'x', body: '已处理' }), 400, 'unknown_category')
    expect(await t.db.ds.getRepository(ReplyTemplate).count()).toBe(before)
    expect((await t.db.ds.getRepository(ReplyTemplate).findOneByOrFail({ id })).body).toBe('您反映的{问题类别}问题（{工单编号}）已清运完毕。')
    const list = await request(t.server).get('/api/reply-templates?category=sanitation').set('Authorization', bearer(t.deps.config, w.users.W1))
    expect(list.status).toBe(200)
    expect((list.body as { items: Array<{ title: string }> }).items.map((i) => i.title)).toContain('已清运')
    const resident = await request(t.server).get('/api/reply-templates').set('Authorization', bearer(t.deps.config, w.users.R1))
    expect(resident.status).toBe(403)
    // The save is in the audit trail; the refused writes are not.
    const audited = await t.db.ds.getRepository(AuditEvent).findBy({ objectType: 'reply_template' })
    expect(audited.map((a) => a.action)).toEqual(['reply_template.create'])
  })

  it('edits and deletes a template (district admin only)', async () => {
    const saved = await post(w.users.DA, { category: 'other', title: '已转办', body: '您的问题已转{办理人}处理。' })
    const id = (saved.body as { id: string }).id
    const edited = await request(t.server).patch(`/api/reply-templates/${id}`).set('Authorization', bearer(t.deps.config, w.users.DA)).send({ title: '已转交' })
    expect(edited.status).toBe(200)
    expect(edited.body).toMatchObject({ title: '已转交', body: '您的问题已转{办理人}处理。' })
    expect((await request(t.server).delete(`/api/reply-templates/${id}`).set('Authorization', bearer(t.deps.config, w.users.CSA))).status).toBe(403)
    expect((await request(t.server).delete(`/api/reply-templates/${id}`).set('Authorization', bearer(t.deps.config, w.users.DA))).status).toBe(204)
    await expectProblem(await request(t.server).delete(`/api/reply-templates/${id}`).set('Authorization', bearer(t.deps.config, w.users.DA)), 404, 'not_found')
  })
})
