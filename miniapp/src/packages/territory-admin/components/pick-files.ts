import Taro from '@tarojs/taro'
import { TerritoryImportLimits } from '@palm/shared'
import { MAX_MB, tooLarge } from './report-format'

/** A chosen territory file, read as text in the page (the upload is a JSON POST through the API client). */
export interface ChosenFile {
  name: string
  size: number
  text: string
}

/** H5: the files of the page's <input type=file>. */
export async function readInputFiles(list: FileList | null): Promise<ChosenFile[]> {
  const files = Array.from(list ?? [])
  return Promise.all(files.map(async (f) => ({ name: f.name, size: f.size, text: await f.text() })))
}

/** WeChat: files from a chat (文件传输助手 or any chat), where a district's GIS team sends them. */
export async function chooseChatFiles(): Promise<ChosenFile[]> {
  const { tempFiles } = await Taro.chooseMessageFile({ count: TerritoryImportLimits.maxFiles, type: 'file', extension: ['geojson', 'json'] })
  const fs = Taro.getFileSystemManager()
  return Promise.all(
    tempFiles.map(
      (f) =>
        new Promise<ChosenFile>((resolve, reject) => fs.readFile({ filePath: f.path, encoding: 'utf8', success: (r) => resolve({ name: f.name, size: f.size, text: String(r.data) }), fail: reject }))
    )
  )
}

/**
 * The import body of the chosen files, or why they cannot be sent: too many, too large for the
 * server's limit, or not JSON. One file is sent as it is; two or three (one per level) as an array.
 */
export function importBodyOf(files: readonly ChosenFile[]): { body: unknown } | { error: string } {
  if (files.length === 0) return { error: '请先选择文件' }
  if (files.length > TerritoryImportLimits.maxFiles) return { error: `最多选择 ${TerritoryImportLimits.maxFiles} 个文件（街道、社区、网格各一个）` }
  if (tooLarge(files.reduce((s, f) => s + f.size, 0))) return { error: `文件合计超过 ${MAX_MB} MB，请分街道导入或简化边界` }
  const parsed: unknown[] = []
  for (const f of files) {
    try {
      parsed.push(JSON.parse(f.text) as unknown)
    } catch {
      return { error: `${f.name} 不是 JSON 格式的 GeoJSON 文件` }
    }
  }
  return { body: parsed.length === 1 ? parsed[0] : parsed }
}
