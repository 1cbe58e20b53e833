import { View } from '@tarojs/components'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { TicketActions } from '../../../components/ticket-actions'
import { TicketSummary } from '../../../components/ticket-summary'
import { Timeline } from '../../../components/timeline'
import { useSession } from '../../../hooks/use-session'
import { useTicket } from '../../../hooks/use-ticket'

/** A staff member's view of one ticket: routing reason, the clock, and the actions their role has now. */
export default function StaffTicketPage() {
  const session = useSession()
  const { ticket, setTicket, error, loading, reload } = useTicket()
  if (loading || error || !ticket || !session) {
    return (
      <PageShell>
        <StateView loading={loading} error={error} empty={!loading && !error} emptyText='工单不存在' onRetry={() => void reload()} />
      </PageShell>
    )
  }
  return (
    <PageShell className='staff-ticket'>
      <TicketSummary ticket={ticket} staffView />
      <TicketActions ticket={ticket} role={session.user.role} onChanged={setTicket} />
      <View className='card'>
        <View className='card-title'>办理进度</View>
        <Timeline events={ticket.timeline} />
      </View>
    </PageShell>
  )
}
