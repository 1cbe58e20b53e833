import type { DataSource } from 'typeorm'

/**
 * How long reference data (categories, routing rules, department and territory names) is kept in
 * memory before it is read again. An edit made through this instance's API drops the copy at once
 * (`invalidate`); other instances, and edits made in the database directly, are seen within this time.
 */
export const REFERENCE_TTL_MS = 30_000

interface Entry<T> {
  value: Promise<T>
  loadedAt: number
}

/**
 * A value loaded from one database and kept per DataSource for `ttlMs`, so a hot path (every
 * submission) reads small, rarely edited tables from memory instead of the database. Concurrent
 * callers share one load; a failed load is forgotten, so the next caller tries again. The clock is a
 * monotonic one (not `deps.now()`, which tests move by days).
 */
export class PerSourceCache<T> {
  private readonly entries = new WeakMap<DataSource, Entry<T>>()

  constructor(
    private readonly load: (ds: DataSource) => Promise<T>,
    readonly ttlMs: number = REFERENCE_TTL_MS,
    private readonly clock: () => number = () => performance.now()
  ) {}

  get(ds: DataSource): Promise<T> {
    const now = this.clock()
    const entry = this.entries.get(ds)
    if (entry && now - entry.loadedAt < this.ttlMs) return entry.value
    const fresh: Entry<T> = { value: this.load(ds), loadedAt: now }
    this.entries.set(ds, fresh)
    fresh.value.catch(() => {
      if (this.entries.get(ds) === fresh) this.entries.delete(ds)
    })
    return fresh.value
  }

  /** Drops this database's copy: the next `get` reads it again. */
  invalidate(ds: DataSource): void {
    this.entries.delete(ds)
  }
}
