import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { TerritoryImportBodySchema, type TerritoryImportReport, type TerritoryIssue } from '@palm/shared'
import { ConfigError, loadConfig } from '../config'
import { openDatabase } from '../db/data-source'
import type { AppDeps } from '../deps'
import { AppError } from '../errors'
import { exportTerritory, importTerritory } from '../modules/territory/index'

const USAGE = `Territory (streets, communities/villages, grids) as GeoJSON; format in docs/territory-import.md.

  npm run territory -- import FILE [FILE2 FILE3] [--dry-run] [--json]
      validates the file (or the three files of the three levels) and, unless --dry-run or the
      report has errors, writes it in one transaction; prints the report. Exit code 1 when invalid.
  npm run territory -- export [FILE]
      writes the current territory (WGS-84) to FILE, or to standard output.

Relative paths are read from the folder you ran npm in.`

export class UsageError extends Error {}

type Print = (line: string) => void

/** Where the operator ran npm: npm runs workspace scripts inside server/, but FILE is theirs. */
function resolvePath(file: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), file)
}

function readJsonFile(file: string): unknown {
  const full = resolvePath(file)
  let text: string
  try {
    text = readFileSync(full, 'utf8')
  } catch {
    throw new UsageError(`cannot read ${full}`)
  }
  try {
    return JSON.parse(text) as unknown
  } catch (err) {
    throw new UsageError(`${full} is not JSON: ${(err as Error).message}`)
  }
}

function describeIssue(issue: TerritoryIssue): string {
  const where = [issue.level, issue.featureCode].filter(Boolean).join(' ')
  const area = issue.areaM2 !== undefined ? ` (${issue.areaM2} m²)` : ''
  return `  ${issue.code}${where ? ` [${where}]` : ''}${area}: ${issue.message}`
}

/** The report as an operator reads it: counts, then every error and warning with its code and feature. */
export function formatReport(report: TerritoryImportReport): string {
  const c = report.counts
  const lines = [
    `${report.valid ? 'Valid' : 'NOT valid'}${report.dryRun ? ' (dry run: nothing written)' : report.written ? ': written' : ': nothing written'} in ${report.tookMs} ms; territory version ${report.version}.`,
    `Coordinate system: ${report.coordinateSystem.declared.join(', ')}${report.coordinateSystem.converted ? ' → converted to WGS-84' : ''}.`,
    `Streets ${c.streets}, communities ${c.communities}, grids ${c.grids}: ${c.created} to create, ${c.updated} to update, ${c.unchanged} unchanged, ${c.removed} to remove.`
  ]
  if (report.errors.length) lines.push(`Errors (${report.errors.length}):`, ...report.errors.map(describeIssue))
  if (report.warnings.length) lines.push(`Warnings (${report.warnings.length}):`, ...report.warnings.map(describeIssue))
  return lines.join('\n')
}

/**
 * Runs one command; answers the exit code. Exported so the test drives it without a child process.
 * @throws UsageError for a wrong command line, AppError for a file that is no territory file
 */
export async function runTerritoryCommand(deps: Pick<AppDeps, 'ds' | 'now'>, argv: string[], print: Print): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } } })
  const [command, ...files] = positionals
  if (command === 'import') {
    if (files.length === 0) throw new UsageError('import needs a FILE')
    const bodies = files.map(readJsonFile)
    const parsed = TerritoryImportBodySchema.safeParse(bodies.length === 1 ? bodies[0] : bodies)
    if (!parsed.success) {
      print(
        `Not a territory file: ${parsed.error.issues
          .slice(0, 5)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; ')}`
      )
      return 1
    }
    const report = await importTerritory(deps, parsed.data, values['dry-run'] === true)
    print(values.json ? JSON.stringify(report, null, 2) : formatReport(report))
    return report.valid ? 0 : 1
  }
  if (command === 'export') {
    const file = await exportTerritory(deps.ds.manager)
    const text = `${JSON.stringify(file)}\n`
    if (files[0]) {
      writeFileSync(resolvePath(files[0]), text)
      print(`Wrote ${file.features.length} features (WGS-84) to ${resolvePath(files[0])}.`)
    } else print(text.trimEnd())
    return 0
  }
  throw new UsageError(`unknown command ${command ?? '(none)'}`)
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2)
  if (argv.length === 0 || argv.includes('--help')) {
    console.log(USAGE)
    return 0
  }
  const ds = await openDatabase(loadConfig().database)
  try {
    return await runTerritoryCommand({ ds, now: () => new Date() }, argv, (line) => console.log(line))
  } finally {
    await ds.destroy()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main()
    .then((code) => process.exit(code))
    .catch((err: unknown) => {
      if (err instanceof UsageError) console.error(`${err.message}\n\n${USAGE}`)
      else if (err instanceof ConfigError) console.error(err.message)
      else if (err instanceof AppError) console.error(`${err.message}${err.extra.errors?.map((e) => `\n  - ${e.path}: ${e.message}`).join('') ?? ''}`)
      else console.error(err)
      process.exit(err instanceof UsageError ? 2 : 1)
    })
}
