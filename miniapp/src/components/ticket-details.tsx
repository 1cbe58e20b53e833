import { View, Text } from '@tarojs/components'
import type { HazardKind, TicketKind, TicketView } from '@palm/shared'
import { HAZARD_KIND_LABELS, dateKeyOf, formatClock, formatDay } from '../utils/format'

type DetailValue = string | number
interface DetailLine {
  key: string
  label: string
  format?: (value: DetailValue, details: Record<string, DetailValue>) => string
}

const yuan = (v: DetailValue) => `${Number(v).toLocaleString('zh-CN')} 元`

/**
 * What each kind adds to a ticket, in the order a handler reads it. Ids (a booking's, a slot's) are
 * left out: they mean nothing to a person, the booking itself is reachable from the legal pages.
 */
const DETAIL_LINES: Partial<Record<TicketKind, readonly DetailLine[]>> = {
  fraud_tip: [
    { key: 'phone', label: '对方电话' },
    { key: 'url', label: '网址' },
    { key: 'paymentAccount', label: '收款账户' },
    { key: 'appName', label: '应用/平台' },
    { key: 'amountLost', label: '损失金额', format: yuan },
    { key: 'whatHappened', label: '经过' }
  ],
  hazard_tip: [
    { key: 'hazardKind', label: '隐患类型', format: (v) => HAZARD_KIND_LABELS[v as HazardKind] ?? String(v) },
    { key: 'place', label: '地点' },
    { key: 'building', label: '楼栋' }
  ],
  testing_point_request: [
    { key: 'place', label: '希望设点的地方' },
    { key: 'reason', label: '申请理由' },
    { key: 'peopleServed', label: '大约服务人数', format: (v) => `${v} 人` }
  ],
  legal_consultation: [
    { key: 'topic', label: '咨询事项' },
    { key: 'startsAt', label: '预约时间', format: (v) => `${formatDay(dateKeyOf(String(v)))} ${formatClock(String(v))}` }
  ]
}

/** The lines of a ticket's details worth showing, labelled; empty when the kind adds nothing. */
export function detailLines(ticket: Pick<TicketView, 'kind' | 'details'>): { label: string; text: string }[] {
  const details = ticket.details
  const lines = DETAIL_LINES[ticket.kind]
  if (!details || !lines) return []
  return lines
    .filter((line) => details[line.key] !== undefined && details[line.key] !== '')
    .map((line) => ({ label: line.label, text: line.format ? line.format(details[line.key], details) : String(details[line.key]) }))
}

/**
 * The clues a tip carries (a fraud tip's phone, URL, account, amount…), shown to whoever may read the
 * whole ticket: the reporter and the staff it is routed to. Followers get the public view, never this.
 */
export function TicketDetails({ ticket }: { ticket: Pick<TicketView, 'kind' | 'details'> }) {
  const lines = detailLines(ticket)
  if (lines.length === 0) return null
  return (
    <View className='ticket-details' role='list' aria-label='上报详情'>
      {lines.map((line) => (
        <View key={line.label} className='ticket-details-line' role='listitem'>
          <Text className='muted'>{line.label}：</Text>
          <Text className='ticket-details-value' selectable>
            {line.text}
          </Text>
        </View>
      ))}
    </View>
  )
}
