import { describe, expect, it } from 'vitest'
import { passwordWeakness } from './password-policy'

describe('passwordWeakness', () => {
  it.each([
    ['Tq7#vLm2pX', null],
    ['Tq7#vLm2p', 'at least 10'],
    [`Tq7#${'a'.repeat(124)}`, null],
    [`Tq7#${'a'.repeat(125)}`, 'at most 128'],
    ['平城区Grid2024', null],
    ['abcdefghijk', 'three of'],
    ['KQZVXWJMRT12', 'three of'],
    ['KQZVXWJMRT12#', null],
    ['Password1!', 'too common'],
    ['PASSWORD123!', 'too common'],
    ['P@ssw0rd2024', 'too common'],
    ['1qaz2wsx3edc4rfv', 'three of'],
    ['Qwertyuiop123', 'too common'],
    ['Woaini1314!!', 'too common']
  ])('%s → %s', (password, expected) => {
    const weakness = passwordWeakness(password)
    if (expected === null) expect(weakness).toBeNull()
    else expect(weakness).toContain(expected)
  })

  it('counts characters, not bytes: ten Chinese characters with a digit and a letter pass', () => {
    expect(passwordWeakness('平城掌上服务中心很好A1')).toBeNull()
  })

  it('refuses a password containing the username', () => {
    expect(passwordWeakness('Wang.Wei#2024', 'wang.wei')).toContain('username')
  })
})
