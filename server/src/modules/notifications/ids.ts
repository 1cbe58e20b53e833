import { randomUUID } from 'node:crypto'

let lastMs = 0
let counter = 0

/**
 * A UUID in the version-7 layout (48-bit milliseconds, then a 12-bit counter, then randomness), so
 * ids sort in the order this process wrote them even within one millisecond. Messages written in one
 * transaction share `created_at`; the id breaks the tie in the keyset, newest first.
 */
export function timeOrderedId(): string {
  let ms = Date.now()
  if (ms <= lastMs) {
    counter++
    if (counter > 0xfff) {
      lastMs++
      counter = 0
    }
    ms = lastMs
  } else {
    lastMs = ms
    counter = 0
  }
  // 64 random bits from a v4 UUID's random digits (randomUUID draws from a pooled CSPRNG buffer; randomBytes makes a system call each time).
  const uuid = randomUUID()
  const rand = uuid.slice(0, 8) + uuid.slice(24, 32)
  const hex = ms.toString(16).padStart(12, '0')
  const variant = ((parseInt(rand.slice(0, 2), 16) & 0x3f) | 0x80).toString(16)
  const tail = variant + rand.slice(2)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${counter.toString(16).padStart(3, '0')}-${tail.slice(0, 4)}-${tail.slice(4, 16)}`
}
