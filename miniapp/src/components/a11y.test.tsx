import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/react'
import { installH5Accessibility } from './a11y'
import { OptionPicker } from './option-picker'

/** Lets the MutationObserver of the keyboard support run. */
const settle = () => new Promise((r) => setTimeout(r, 0))

function el(selector: string): HTMLElement {
  const found = document.querySelector<HTMLElement>(selector)
  if (!found) throw new Error(`no ${selector}`)
  return found
}

describe('H5 keyboard support for what Taro draws (docs/accessibility.md)', () => {
  installH5Accessibility()

  it('puts Taro buttons and role=button views in the Tab order, and presses them with Enter and Space', async () => {
    const pressed = vi.fn()
    document.body.innerHTML = '<taro-button-core class="b">提交</taro-button-core><div role="button" class="v">删除</div><taro-button-core disabled class="off">忙</taro-button-core>'
    await settle()
    const button = el('.b')
    const view = el('.v')
    const off = el('.off')
    expect(button.getAttribute('role')).toBe('button')
    expect(button.tabIndex).toBe(0)
    expect(view.tabIndex).toBe(0)
    expect(off.tabIndex).toBe(-1)
    expect(off.getAttribute('aria-disabled')).toBe('true')
    button.addEventListener('click', pressed)
    view.addEventListener('click', pressed)
    fireEvent.keyDown(button, { key: 'Enter' })
    fireEvent.keyDown(view, { key: ' ' })
    fireEvent.keyDown(view, { key: 'a' })
    expect(pressed).toHaveBeenCalledTimes(2)
  })

  it('does not press a link with Space, and leaves a key another handler took alone', async () => {
    const pressed = vi.fn()
    document.body.innerHTML = '<div role="link" class="l">我的预约</div><div role="button" class="own">自己处理</div>'
    await settle()
    const link = el('.l')
    const own = el('.own')
    link.addEventListener('click', pressed)
    own.addEventListener('click', pressed)
    own.addEventListener('keydown', (e) => e.preventDefault())
    fireEvent.keyDown(link, { key: ' ' })
    fireEvent.keyDown(own, { key: 'Enter' })
    expect(pressed).not.toHaveBeenCalled()
    fireEvent.keyDown(link, { key: 'Enter' })
    expect(pressed).toHaveBeenCalledTimes(1)
  })

  it('moves and chooses with the arrow keys inside a radiogroup, wrapping around', async () => {
    document.body.innerHTML = '<div role="radiogroup"><div role="radio" class="r1">居民</div><div role="radio" class="r2">网格员</div></div>'
    await settle()
    const [first, second] = [el('.r1'), el('.r2')]
    const chosen: string[] = []
    first.addEventListener('click', () => chosen.push('居民'))
    second.addEventListener('click', () => chosen.push('网格员'))
    first.focus()
    fireEvent.keyDown(first, { key: 'ArrowRight' })
    expect(document.activeElement).toBe(second)
    fireEvent.keyDown(second, { key: 'ArrowDown' })
    expect(document.activeElement).toBe(first)
    expect(chosen).toEqual(['网格员', '居民'])
  })

  it('names the tab bar and marks the current tab', async () => {
    document.body.innerHTML = '<div class="weui-tabbar"><a href="javascript:;" class="weui-tabbar__item weui-bar__item_on">首页</a><a href="javascript:;" class="weui-tabbar__item">我的</a></div>'
    await settle()
    expect(screen.getByRole('navigation', { name: '主导航' })).toBeTruthy()
    expect(screen.getByRole('link', { name: '首页' }).getAttribute('aria-current')).toBe('page')
    expect(screen.getByRole('link', { name: '我的' }).hasAttribute('aria-current')).toBe(false)
  })
})

describe('OptionPicker in H5: a native select named by its label', () => {
  const streets = [{ name: '水泊寺街道' }, { name: '新旺街道' }]

  it('shows the placeholder until a choice, and hands back the index chosen', () => {
    const onPick = vi.fn()
    document.body.innerHTML = ''
    const view = render(<OptionPicker options={streets} index={-1} optionLabel={(s) => s.name} onPick={onPick} label='选择街道' placeholder='请选择街道' className='picker-street' />)
    const select = screen.getByLabelText('选择街道') as HTMLSelectElement
    expect(select.tagName).toBe('SELECT')
    expect(select.value).toBe('')
    expect(view.container.querySelector('.picker-street')?.textContent).toContain('请选择街道')
    fireEvent.change(select, { target: { value: '1' } })
    expect(onPick).toHaveBeenCalledWith(1)
    view.rerender(<OptionPicker options={streets} index={1} optionLabel={(s) => s.name} onPick={onPick} label='选择街道' placeholder='请选择街道' className='picker-street' />)
    expect(view.container.querySelector('.picker-street')?.textContent).toContain('新旺街道')
    expect((screen.getByLabelText('选择街道') as HTMLSelectElement).value).toBe('1')
  })

  it('is disabled, and says so, until it can be used', () => {
    document.body.innerHTML = ''
    render(<OptionPicker options={[]} index={-1} optionLabel={(s: { name: string }) => s.name} onPick={vi.fn()} label='选择社区' placeholder='请先选择街道' className='picker-community' disabled />)
    expect((screen.getByLabelText('选择社区') as HTMLSelectElement).disabled).toBe(true)
  })
})
