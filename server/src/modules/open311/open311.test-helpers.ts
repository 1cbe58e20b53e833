import { Open311KeyCreatedViewSchema } from '@palm/shared'
import request from 'supertest'
import { bearer } from '../../../test/factories'
import type { TestContext } from '../../../test/test-app'
import type { User } from '../auth/user.entity'

/** Test helper: a key made by the district admin through the admin API (the only way keys are made). */
export async function makeKey(t: TestContext, admin: Pick<User, 'id' | 'role'>, name = '12345 热线平台'): Promise<{ key: string; id: string }> {
  const res = await request(t.server).post('/api/admin/open311/keys').set('Authorization', bearer(t.deps.config, admin)).send({ name })
  if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${JSON.stringify(res.body)}`)
  const created = Open311KeyCreatedViewSchema.parse(res.body)
  return { key: created.key, id: created.item.id }
}

/** Test helper: POST requests.{fmt} as a form (what every Open311 client sends). */
export function postForm(t: TestContext, fields: Record<string, string>, format: 'json' | 'xml' = 'json') {
  return request(t.server).post(`/open311/v2/requests.${format}`).type('form').send(new URLSearchParams(fields).toString())
}
