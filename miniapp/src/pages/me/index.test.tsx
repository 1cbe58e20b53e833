import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/react'
import MePage from './index'
import HomePage from '../home/index'
import { getSettings, getPrivacyConsent } from '../../services/settings'

describe('长辈模式 and the privacy notice', () => {
  it('switching 长辈模式 on enlarges the page and is remembered', () => {
    const { container } = render(<MePage />)
    expect(container.querySelector('.page')?.className).not.toContain('elder')
    fireEvent.click(screen.getByRole('switch'))
    expect(container.querySelector('.page')?.className).toContain('elder')
    expect(getSettings().elderMode).toBe(true)
  })

  it('shows the privacy notice on first use and records the consent with its version and time', () => {
    render(<HomePage />)
    expect(screen.getByRole('dialog', { name: '隐私保护提示' })).toBeTruthy()
    fireEvent.click(screen.getByText('同意并继续'))
    expect(screen.queryByRole('dialog')).toBeNull()
    const consent = getPrivacyConsent()
    expect(consent).toMatchObject({ granted: true, policyVersion: expect.any(String), client: 'h5' })
    expect(Number.isNaN(Date.parse(consent?.at ?? ''))).toBe(false)
  })

  it('records a refusal and still lets the resident use the public pages', () => {
    render(<HomePage />)
    fireEvent.click(screen.getByText('不同意'))
    expect(getPrivacyConsent()?.granted).toBe(false)
    expect(screen.getByText('回复公开')).toBeTruthy()
  })
})
