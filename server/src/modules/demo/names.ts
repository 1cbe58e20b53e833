/**
 * Synthetic names for demo data. They read like the names of a northern Chinese district's
 * communities, villages and staff, but they are invented: every row that carries one is marked
 * synthetic, and people's names are masked and labelled （示例）.
 */

const COMMUNITY_FIRST = [...'东西南北新兴和安康福瑞华明庆泰平文春清云阳恒丰盛祥建育民红光']
const COMMUNITY_SECOND = [...'园苑安盛丰乐宁馨晖城泉源桥街里湖林景和兴苑']

/** Street names and the seed's own community, so no invented community shares their name. */
const RESERVED_COMMUNITY_STEMS = new Set(['永和', '永泰', '古城', '新旺', '迎宾', '振华', '清远', '武定', '御河', '开源', '新华', '鹿苑', '文瀛'])

const SURNAMES = [
  ...'张王李赵刘陈杨黄周吴徐孙马胡郭何高林罗郑梁谢宋唐韩冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文'
]
const VILLAGE_ENDINGS = ['家庄', '家堡', '家营', '家窑', '家湾', '家寨', '庄', '堡']

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const a = out[i] as T
    out[i] = out[j] as T
    out[j] = a
  }
  return out
}

/** `count` distinct community names (e.g. 和园社区), in a fixed order for a given random source. */
export function communityNames(count: number, random: () => number): string[] {
  const stems: string[] = []
  for (const a of COMMUNITY_FIRST) {
    for (const b of COMMUNITY_SECOND) {
      const stem = a + b
      if (a !== b && !RESERVED_COMMUNITY_STEMS.has(stem) && !stems.includes(stem)) stems.push(stem)
    }
  }
  if (stems.length < count) throw new Error(`only ${stems.length} community names for ${count} communities`)
  return shuffled(stems, random)
    .slice(0, count)
    .map((stem) => `${stem}社区`)
}

/** `count` distinct village names (e.g. 王家堡村). */
export function villageNames(count: number, random: () => number): string[] {
  const names: string[] = []
  for (const surname of SURNAMES) for (const ending of VILLAGE_ENDINGS) names.push(`${surname}${ending}村`)
  if (names.length < count) throw new Error(`only ${names.length} village names for ${count} villages`)
  return shuffled(names, random).slice(0, count)
}

/**
 * A masked, labelled person name for a staff account: "永和社区综治专干 张*（示例）", or "张*（示例）"
 * without a title (grid workers, whose role every screen already names).
 */
export function staffDisplayName(title: string, random: () => number): string {
  const surname = SURNAMES[Math.floor(random() * SURNAMES.length)] ?? '张'
  return title ? `${title} ${surname}*（示例）` : `${surname}*（示例）`
}
