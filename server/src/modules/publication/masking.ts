/**
 * Masks personal data in text that will be public (security.md PI-7; domain.md "Replies,
 * publication"): names 张*, mobile numbers 138****1234, landlines 0352-****567, ID numbers
 * 1101**********1234, e-mail addresses, house, unit and room numbers, and the reporter's address
 * replaced by the community. Masking runs before the content check, so what is checked is exactly
 * what is shown.
 */

/** 张三 → 张*, 欧阳娜娜 → 欧*; an empty name is a lone star. */
export function maskPersonName(name: string): string {
  const chars = Array.from(name.trim())
  return chars.length === 0 ? '*' : `${chars[0]}*`
}

const ID_NUMBER = /(?<![0-9A-Za-z])(\d{4})\d{10}(\d{3}[0-9Xx])(?![0-9A-Za-z])/g
const MOBILE = /(?<!\d)((?:\+?86[\s-]?)?1[3-9]\d)[\s-]?\d{4}[\s-]?(\d{4})(?!\d)/g
const LANDLINE = /(?<!\d)(0\d{2,3})[\s-]?(\d{3,4})(\d{4})(?!\d)/g
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g
const HOUSE_NUMBER = /\d+(?=\s*(?:号楼|号院|栋|幢|单元|室|户))/g

/** Phone numbers, ID numbers, e-mail addresses and door numbers inside free text. */
export function maskContactData(text: string): string {
  return text
    .replace(ID_NUMBER, (_m, head: string, tail: string) => `${head}${'*'.repeat(10)}${tail}`)
    .replace(MOBILE, (_m, head: string, tail: string) => `${head}****${tail}`)
    .replace(LANDLINE, (_m, area: string, middle: string, tail: string) => `${area}-${'*'.repeat(middle.length)}${tail}`)
    .replace(EMAIL, (_m, first: string, domain: string) => `${first}***@${domain}`)
    .replace(HOUSE_NUMBER, '*')
}

export interface MaskContext {
  /** Names to mask wherever they occur (the reporter's). */
  names: readonly string[]
  /** The reporter's address text: replaced by the community name where it is quoted. */
  address?: string | null
  communityName?: string | null
}

/** Everything above, for one text about to be published. */
export function maskPublicText(text: string, ctx: MaskContext): string {
  let out = text
  const address = ctx.address?.trim()
  if (address && address.length >= 2) out = out.split(address).join(ctx.communityName ?? '本社区')
  for (const name of ctx.names) {
    const n = name.trim()
    if (Array.from(n).length >= 2) out = out.split(n).join(maskPersonName(n))
  }
  return maskContactData(out)
}
