import { describe, expect, it, vi } from 'vitest'
import { lazyModule } from './on-demand'

describe('a module imported on demand', () => {
  it('is downloaded once, however often it is asked for', async () => {
    const load = vi.fn(async () => ({ answer: 42 }))
    const get = lazyModule(load)
    const [a, b] = await Promise.all([get(), get()])
    expect(await get()).toBe(a)
    expect(b).toBe(a)
    expect(load).toHaveBeenCalledTimes(1)
  })

  it('is downloaded again after a failed download, not refused for ever', async () => {
    const load = vi.fn<() => Promise<{ answer: number }>>().mockRejectedValueOnce(new Error('ChunkLoadError')).mockResolvedValue({ answer: 42 })
    const get = lazyModule(load)
    await expect(get()).rejects.toThrow('ChunkLoadError')
    expect(await get()).toEqual({ answer: 42 })
    expect(load).toHaveBeenCalledTimes(2)
  })
})
