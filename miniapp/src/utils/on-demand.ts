/**
 * H5: runs `load` once, at the person's first touch, key or focus anywhere on the page, not with the
 * page. For code a page needs only once someone uses it (the photo picker, the report's rules): the
 * first paint does not wait for it, and by the time the tap that needs it comes, it is loaded or
 * loading (docs/performance.md "Keeping the first page light"). Returns the clean-up for an effect.
 */
export function onFirstUse(load: () => void): () => void {
  const events = ['pointerdown', 'keydown', 'focusin'] as const
  const run = () => {
    stop()
    load()
  }
  const stop = () => events.forEach((e) => document.removeEventListener(e, run, true))
  events.forEach((e) => document.addEventListener(e, run, true))
  return stop
}

/**
 * A module imported on demand and kept: every call answers the same download, and a failed download
 * is tried again at the next call instead of being refused for ever (a phone that was offline for a
 * moment). Give it the `import()` itself, so webpack makes the chunk.
 */
export function lazyModule<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined
  return () =>
    (pending ??= load().catch((err: unknown) => {
      pending = undefined
      throw err
    }))
}
