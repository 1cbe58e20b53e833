import { describe, expect, it } from 'vitest'
import { ProblemSchema } from '@palm/shared'
import { apiErrorFromResponse, asProblem } from './api-error'

const problem = { type: 'about:blank', title: 'Bad request', status: 400, code: 'validation_failed' }
const issue = { path: 'description', code: 'too_small', message: '请填写问题描述' }

/** Bodies the hand check must judge exactly as shared's ProblemSchema does (it stands in for it in the H5 entry). */
const bodies: Array<[string, unknown]> = [
  ['minimal problem', problem],
  ['every field', { ...problem, detail: '描述太短', instance: '/api/v1/tickets', requestId: 'req-1', errors: [issue] }],
  ['unknown keys kept out', { ...problem, retryAfterSeconds: 30, lockedUntil: '2026-12-02T15:00:00Z' }],
  ['empty errors', { ...problem, errors: [] }],
  ['issue with extra keys', { ...problem, errors: [{ ...issue, expected: 'string' }] }],
  ['null', null],
  ['string', 'Bad Gateway'],
  ['array', [problem]],
  ['no code', { type: 'about:blank', title: 'x', status: 400 }],
  ['numeric code', { ...problem, code: 400 }],
  ['no title', { type: 'about:blank', status: 400, code: 'x' }],
  ['status as string', { ...problem, status: '400' }],
  ['fractional status', { ...problem, status: 400.5 }],
  ['unsafe integer status', { ...problem, status: 2 ** 60 }],
  ['NaN status', { ...problem, status: Number.NaN }],
  ['null detail', { ...problem, detail: null }],
  ['numeric requestId', { ...problem, requestId: 7 }],
  ['null instance', { ...problem, instance: null }],
  ['errors not an array', { ...problem, errors: issue }],
  ['issue without message', { ...problem, errors: [{ path: 'a', code: 'b' }] }],
  ['null issue', { ...problem, errors: [null] }]
]

describe('asProblem', () => {
  it.each(bodies)('agrees with ProblemSchema: %s', (_name, body) => {
    const parsed = ProblemSchema.safeParse(body)
    expect(asProblem(body)).toEqual(parsed.success ? parsed.data : null)
  })

  it('gives the ApiError the code, detail and field messages of a problem body', () => {
    const err = apiErrorFromResponse(400, { ...problem, detail: '描述太短', errors: [issue] })
    expect(err).toMatchObject({ status: 400, code: 'validation_failed', detail: '描述太短', fieldErrors: { description: '请填写问题描述' } })
  })

  it('falls back to a code from the status when the body is not a problem', () => {
    expect(apiErrorFromResponse(502, '<html>Bad Gateway</html>')).toMatchObject({ status: 502, code: 'internal_error', detail: '' })
  })
})
