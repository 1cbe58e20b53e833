import { z } from 'zod'

export const PageLimits = { defaultLimit: 20, maxLimit: 50 } as const

export const PageQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(PageLimits.maxLimit).default(PageLimits.defaultLimit)
})
export type PageQuery = z.infer<typeof PageQuerySchema>

export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

/** An opaque cursor: the sort key of the last item, base64url so clients treat it as a token. */
export function encodeCursor(parts: ReadonlyArray<string | number>): string {
  const json = JSON.stringify(parts)
  const bytes = new TextEncoder().encode(json)
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** The inverse of encodeCursor; undefined for anything that is not a cursor we made. */
export function decodeCursor(cursor: string): Array<string | number> | undefined {
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0))
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes))
    if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string' || typeof p === 'number')) return undefined
    return parsed as Array<string | number>
  } catch {
    return undefined
  }
}
