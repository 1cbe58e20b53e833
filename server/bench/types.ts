/** What each benchmark hands back to the runner: a name, the printed lines, and whether its targets were met. */
export interface BenchResult {
  name: string
  lines: string[]
  ok: boolean
}
