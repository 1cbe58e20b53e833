import { View, Text } from '@tarojs/components'
import type { TerritoryImportReport, TerritoryIssue } from '@palm/shared'
import { formatArea, ISSUE_LABELS, issueSubject, reportVerdict, usesLine } from './report-format'

function IssueRow({ issue, kind }: { issue: TerritoryIssue; kind: 'error' | 'warning' }) {
  const uses = usesLine(issue)
  return (
    <View className={`row territory-issue is-${kind}`} role='listitem' data-code={issue.code}>
      <View className='territory-issue-head'>
        <Text className={`tag ${kind === 'error' ? 'tag-danger' : 'tag-warn'}`}>{ISSUE_LABELS[issue.code]}</Text>
        <Text className='territory-issue-code'>{issue.code}</Text>
      </View>
      <View className='territory-issue-subject'>
        {issueSubject(issue)}
        {issue.areaM2 !== undefined ? <Text className='territory-issue-area'>{`　面积 ${formatArea(issue.areaM2)}`}</Text> : null}
      </View>
      {uses ? <View className='territory-issue-uses'>{uses}</View> : null}
      {/* The server's sentence (English, also what the CLI prints) only where the label and the feature say too little. */}
      {issue.featureCode ? null : <View className='muted territory-issue-message'>{issue.message}</View>}
    </View>
  )
}

function IssueList({ title, issues, kind }: { title: string; issues: readonly TerritoryIssue[]; kind: 'error' | 'warning' }) {
  if (issues.length === 0) return null
  return (
    <View className={`territory-issues territory-${kind}s`}>
      <View className='card-title' role='heading' aria-level={3}>{`${title}（${issues.length}）`}</View>
      <View role='list' aria-label={title}>
        {issues.map((issue, i) => (
          <IssueRow key={`${issue.code}-${issue.featureCode ?? ''}-${i}`} issue={issue} kind={kind} />
        ))}
      </View>
    </View>
  )
}

/** The validation report: the verdict, the counts, then every error and warning with its code, feature and area. */
export function ReportCard({ report, title }: { report: TerritoryImportReport; title: string }) {
  const c = report.counts
  const cells: Array<[string, number]> = [
    ['街道', c.streets],
    ['社区/村', c.communities],
    ['网格', c.grids],
    ['新增', c.created],
    ['更新', c.updated],
    ['未变', c.unchanged],
    ['删除', c.removed]
  ]
  return (
    <View className={`card territory-report ${report.valid ? 'is-valid' : 'is-invalid'}`} aria-label={title} role='region'>
      <View className='card-title' role='heading' aria-level={2}>
        {title}
      </View>
      <View className={`notice territory-verdict ${report.valid ? 'is-ok' : 'is-bad'}`} role='status'>
        {reportVerdict(report)}
      </View>
      <View className='territory-counts'>
        {cells.map(([label, n]) => (
          <View key={label} className='territory-count'>
            <Text className='territory-count-n'>{n}</Text>
            <Text className='muted'>{label}</Text>
          </View>
        ))}
      </View>
      <View className='muted'>
        {`坐标系：${report.coordinateSystem.declared.join('、')}${report.coordinateSystem.converted ? '，已转换为 WGS-84 保存' : ''}；检查用时 ${(report.tookMs / 1000).toFixed(1)} 秒`}
      </View>
      <IssueList title='错误' issues={report.errors} kind='error' />
      <IssueList title='提醒' issues={report.warnings} kind='warning' />
    </View>
  )
}
