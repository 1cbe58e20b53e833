import { describe, expect, it, vi } from 'vitest'
import { cancelJavascriptLinkNavigation, rootFontSizePx, setUpH5Document } from './document-setup'

describe('the rem base', () => {
  it('is 40 px per 750 px of the narrower side, clamped to 20–40 px', () => {
    expect(rootFontSizePx(375, 812)).toBe(20)
    expect(rootFontSizePx(600, 900)).toBe(32)
    expect(rootFontSizePx(1280, 800)).toBe(40)
    expect(rootFontSizePx(320, 568)).toBe(20)
    expect(rootFontSizePx(0, 700)).toBeCloseTo(37.33, 2)
  })
})

describe('links to javascript: URLs (Taro H5 tab bar)', () => {
  function tabLink(href: string) {
    document.body.innerHTML = `<div class="weui-tabbar"><a class="weui-tabbar__item" href="${href}"><span><img alt=""></span><p class="weui-tabbar__label">消息</p></a></div>`
    return document.querySelector('a') as HTMLAnchorElement
  }

  it('cancel the browser navigation (which the CSP refuses) and still run the tab’s own click handler', () => {
    setUpH5Document(window)
    const link = tabLink('javascript:;')
    const ownHandler = vi.fn()
    link.addEventListener('click', ownHandler)
    const label = link.querySelector('p') as HTMLElement
    const click = new MouseEvent('click', { bubbles: true, cancelable: true })
    label.dispatchEvent(click)
    expect(ownHandler).toHaveBeenCalledTimes(1)
    expect(click.defaultPrevented).toBe(true)
    expect(link.getAttribute('href')).toBe('javascript:;') // still a focusable link
  })

  it('leave ordinary links alone', () => {
    const link = tabLink('#/pages/messages/index')
    const click = new MouseEvent('click', { bubbles: true, cancelable: true })
    link.dispatchEvent(click)
    expect(click.defaultPrevented).toBe(false)
  })

  it('cancel an upper-case or spaced javascript: URL too, and ignore clicks outside links', () => {
    const link = tabLink(' JavaScript:void(0)')
    const onLink = new MouseEvent('click', { bubbles: true, cancelable: true })
    link.dispatchEvent(onLink)
    expect(onLink.defaultPrevented).toBe(true)
    const outside = new MouseEvent('click', { bubbles: true, cancelable: true })
    Object.defineProperty(outside, 'target', { value: document.body })
    cancelJavascriptLinkNavigation(outside)
    expect(outside.defaultPrevented).toBe(false)
  })
})
