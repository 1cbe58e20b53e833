import { afterEach, describe, expect, it, vi } from 'vitest'
import { dismissAppShell } from './app-shell'

describe('the prerendered first view', () => {
  afterEach(() => vi.useRealTimers())

  it('stays while the browser paints the app’s first page under it, and is gone the frame after', () => {
    vi.useFakeTimers({ toFake: ['requestAnimationFrame'] })
    document.body.innerHTML = '<div id="app-shell" aria-hidden="true" inert><div class="app-shell-page">…</div></div><div id="app"><div class="page">首页</div></div>'
    dismissAppShell(document)
    expect(document.getElementById('app-shell')).not.toBeNull()
    vi.advanceTimersToNextFrame()
    expect(document.getElementById('app-shell')).not.toBeNull()
    vi.advanceTimersToNextFrame()
    expect(document.getElementById('app-shell')).toBeNull()
    expect(document.querySelector('#app .page')?.textContent).toBe('首页')
  })

  it('does nothing when the build has none (a page other than the prerendered ones, or a build without Chromium)', () => {
    document.body.innerHTML = '<div id="app"></div>'
    expect(() => dismissAppShell(document)).not.toThrow()
    expect(document.body.innerHTML).toBe('<div id="app"></div>')
  })
})
