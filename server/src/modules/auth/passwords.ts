import { randomBytes } from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'

/**
 * argon2id with the library's defaults, which are OWASP's recommendation (19 MiB, 2 passes, 1 lane);
 * the PHC string records them, so raising them later only affects new hashes.
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password)
}

let dummyHash: Promise<string> | undefined

/**
 * True when `password` matches the stored hash. With no stored hash (unknown user, WeChat-only
 * account) a dummy hash is still verified, so the answer takes the same time either way (AUTH-6).
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64'))
  const target = storedHash ?? (await dummyHash)
  try {
    const matches = await verify(target, password)
    return storedHash !== null && matches
  } catch {
    return false
  }
}
