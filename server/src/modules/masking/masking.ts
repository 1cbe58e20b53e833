/**
 * Masks personal data in text that will be public (docs/security.md PI-7; docs/domain.md "Replies,
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
/** The old 15-digit ID number (before 1999): all digits, no check character. */
const OLD_ID_NUMBER = /(?<![0-9A-Za-z])(\d{4})\d{7}(\d{4})(?![0-9A-Za-z])/g
const MOBILE = /(?<!\d)((?:\+?86[\s-]?)?1[3-9]\d)[\s-]?\d{4}[\s-]?(\d{4})(?!\d)/g
const LANDLINE = /(?<!\d)(0\d{2,3})[\s-]?(\d{3,4})(\d{4})(?!\d)/g
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g
const CN_DIGITS = '0-9０-９一二三四五六七八九十百零〇两'
const HOUSE_NUMBER = new RegExp(`[${CN_DIGITS}]+(?=\\s*(?:号楼|号院|栋|幢|单元|室|户|层|楼(?![下上道梯房顶]))|\\s*号(?![楼院码线]))`, 'g')
/** 2单元501, 3-2-501: a room number after a unit, or a building-unit-room triple. */
const ROOM_AFTER_UNIT = /(?<=单元\s*)\d{2,4}(?!\d)/g
const DOOR_TRIPLE = /(?<!\d)\d{1,3}-\d{1,2}-\d{2,4}(?!\d)/g
/**
 * Licence plates: a province abbreviation, a letter, then 5 characters (6 for new-energy plates),
 * with an optional separator: 晋B·12345, 晋BD12345, 京A-F1234. I and O are never used on plates.
 */
const PLATE = /([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领])\s*([A-HJ-NP-Za-hj-np-z])[\s·•・.-]?([A-HJ-NP-Za-hj-np-z0-9]{5,6})(?![A-Za-z0-9])/g
/** Runs of digits still long enough to be a phone, an ID or an account after the rules above. */
const LONG_DIGITS = /\d{6,}/

/** Phone numbers, ID numbers, e-mail addresses, licence plates and door numbers inside free text. */
export function maskContactData(text: string): string {
  return text
    .replace(ID_NUMBER, (_m, head: string, tail: string) => `${head}${'*'.repeat(10)}${tail}`)
    .replace(MOBILE, (_m, head: string, tail: string) => `${head}****${tail}`)
    .replace(OLD_ID_NUMBER, (_m, head: string, tail: string) => `${head}${'*'.repeat(7)}${tail}`)
    .replace(LANDLINE, (_m, area: string, middle: string, tail: string) => `${area}-${'*'.repeat(middle.length)}${tail}`)
    .replace(EMAIL, (_m, first: string, domain: string) => `${first}***@${domain}`)
    .replace(PLATE, (_m, province: string, letter: string) => `${province}${letter.toUpperCase()}·*****`)
    .replace(DOOR_TRIPLE, '*-*-*')
    .replace(ROOM_AFTER_UNIT, '*')
    .replace(HOUSE_NUMBER, '*')
}

/**
 * The 18-digit ID number's check character (GB 11643-1999, ISO 7064 MOD 11-2): a valid one is
 * almost surely a real ID number rather than an order or account number.
 */
export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[0-9Xx]$/.test(id)) return false
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = weights.reduce((acc, w, i) => acc + w * Number(id[i]), 0)
  return '10X98765432'[sum % 11] === id[17]?.toUpperCase()
}

/** Common single-character surnames (the most frequent ~130 of 《百家姓》 as counted by the 2020 census). */
const SURNAMES = new Set(
  Array.from(
    '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝'
  )
)
const COMPOUND_SURNAMES = ['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '夏侯', '长孙', '宇文', '司徒', '端木', '申屠', '独孤', '南宫']

/** True when the text starts with a common surname (single or compound). */
export function startsWithSurname(text: string): boolean {
  return COMPOUND_SURNAMES.some((s) => text.startsWith(s)) || SURNAMES.has(Array.from(text)[0] ?? '')
}

const HAN = '\\u4e00-\\u9fa5'
/** A cue that a name follows, strong enough to mask what follows even without a known surname. */
const STRONG_NAME_CUE = new RegExp(`(我叫|名叫|叫做|姓名|联系人|报告人|户主|业主|本人)([\\s:：是为]{0,2})([${HAN}]{2,3})`, 'g')
/** 我是 / 找 + a name: only when what follows starts with a common surname (我是居民 stays). */
const WEAK_NAME_CUE = new RegExp(`(我是|我姓|找|联系|邻居|租户|住户)([${HAN}]{2,4})(?=[，。,.;；！!、\\s]|$)`, 'g')
/** 王小明先生, 李建国老师, 张桂兰阿姨: a surname, one or two characters, then a form of address. */
const TITLED_NAME = new RegExp(`([${HAN}]{2,4})(先生|女士|老师|阿姨|大爷|大妈|师傅|奶奶|爷爷|大姐|大哥)`, 'g')
const NON_NAME_WORDS = /居民|住户|业主|物业|社区|网格|小区|志愿|群众|老人|孩子|邻居|本人|自己|这里|那里|楼下|楼上|对门|隔壁/

/** A name found by a cue, masked to its surname and a star (欧阳娜娜 → 欧阳*, 王小明 → 王*). */
function maskFoundName(name: string): string {
  const compound = COMPOUND_SURNAMES.find((s) => name.startsWith(s))
  return compound ? `${compound}*` : maskPersonName(name)
}

export interface NameMaskResult {
  text: string
  /** Something looked like a name but did not fit the rules well enough to be sure. */
  unsure: boolean
}

/**
 * Names residents type about themselves or others, found by cues (我叫王小明, 姓名：张三, 联系人李四,
 * 王小明先生). A conservative rule set, not a name recogniser: a name without a cue is not found,
 * which is why an uncertain text is held for a person (see assessPublicText).
 */
export function maskCuedNames(text: string): NameMaskResult {
  let unsure = false
  let out = text.replace(STRONG_NAME_CUE, (_m, cue: string, sep: string, name: string) => {
    if (NON_NAME_WORDS.test(name)) return `${cue}${sep}${name}`
    return `${cue}${sep}${maskFoundName(name)}`
  })
  out = out.replace(WEAK_NAME_CUE, (m, cue: string, name: string) => (startsWithSurname(name) && !NON_NAME_WORDS.test(name) ? `${cue}${maskFoundName(name)}` : m))
  out = out.replace(TITLED_NAME, (m, before: string, title: string) => {
    // The name is the last two or three characters before the title: 谢谢李建国老师 → 李建国.
    const chars = Array.from(before)
    for (const size of [3, 2]) {
      if (chars.length < size) continue
      const name = chars.slice(-size).join('')
      if (startsWithSurname(name) && !NON_NAME_WORDS.test(name)) return `${chars.slice(0, -size).join('')}${maskFoundName(name)}${title}`
    }
    const last = chars.at(-1) ?? ''
    // A bare surname (找王先生) is already no more than 张*; 物业师傅 is no one's name.
    if (!SURNAMES.has(last) && !NON_NAME_WORDS.test(chars.slice(-2).join(''))) unsure = true
    return m
  })
  return { text: out, unsure }
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
  return assessPublicText(text, ctx).text
}

export interface PublicTextAssessment {
  text: string
  /** Why a person should look before it is published; empty when the rules are confident. */
  doubts: string[]
}

/** Words that say personal data is in the text, in a form the rules may not have caught. */
const PII_WORDS = /身份证|证件号|车牌|牌照|户籍|病历|银行卡|卡号|微信号|QQ/i

/**
 * Masks a text for the public board and says whether the rules are unsure of it: digits still
 * long enough to be a number of a person, a form of address after something that is not a known
 * surname, or a word that announces personal data (身份证, 车牌…). An unsure text is held for
 * community staff to release or withhold (GET /api/publication/review), never published as it is.
 */
export function assessPublicText(text: string, ctx: MaskContext): PublicTextAssessment {
  let out = text
  const address = ctx.address?.trim()
  if (address && address.length >= 2) out = out.split(address).join(ctx.communityName ?? '本社区')
  for (const name of ctx.names) {
    const n = name.trim()
    if (Array.from(n).length >= 2) out = out.split(n).join(maskPersonName(n))
  }
  const named = maskCuedNames(out)
  out = maskContactData(named.text)
  const doubts: string[] = []
  if (named.unsure) doubts.push('name')
  if (LONG_DIGITS.test(out)) doubts.push('digits')
  if (PII_WORDS.test(text)) doubts.push('pii_word')
  return { text: out, doubts }
}
