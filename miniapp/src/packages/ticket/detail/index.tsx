import { useState } from 'react'
import { View, Button } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { TicketPublicViewSchema } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { TicketActions } from '../../../components/ticket-actions'
import { TicketSummary } from '../../../components/ticket-summary'
import { Timeline } from '../../../components/timeline'
import { useSession } from '../../../hooks/use-session'
import { useTicket } from '../../../hooks/use-ticket'
import { showError } from '../../../services/show-error'
import { ticketsService } from '../../../services/tickets.service'
import { Routes, openPage } from '../../../utils/routes'
import { FollowedTicket } from '../components/followed-ticket'

/**
 * A resident's view of one ticket: progress line, replies and photos; rate, reopen, cancel or follow.
 * A ticket they only follow comes as the public view (no text unless published, no photos, no
 * address): it is shown by FollowedTicket, with the actions the server still offers (rate, reopen).
 */
export default function TicketDetailPage() {
  const session = useSession()
  const { ticket, setTicket, error, loading, reload } = useTicket()
  const [following, setFollowing] = useState(false)

  if (!session) {
    return (
      <PageShell>
        <View className='card'>
          <View className='card-title'>登录后查看工单</View>
          <Button className='btn btn-primary btn-block' onClick={() => openPage(Routes.signIn())}>
            登录
          </Button>
        </View>
      </PageShell>
    )
  }

  if (loading || error || !ticket) {
    return (
      <PageShell>
        <StateView loading={loading} error={error} empty={!loading && !error} emptyText='工单不存在' onRetry={() => void reload()} />
      </PageShell>
    )
  }

  async function handleFollow() {
    if (!ticket) return
    try {
      await ticketsService.follow(ticket.id)
      setFollowing(true)
      void Taro.showToast({ title: '已关注', icon: 'success' })
    } catch (err) {
      void showError(err)
    }
  }

  // The server answers a follower with the public view; it arrives typed as TicketView, so check it.
  const publicView = TicketPublicViewSchema.safeParse(ticket)
  if (publicView.success) {
    return (
      <PageShell className='ticket-detail'>
        <FollowedTicket ticket={publicView.data} />
        <TicketActions ticket={publicView.data} role={session.user.role} onChanged={setTicket} />
      </PageShell>
    )
  }

  const canFollow = !ticket.viewer.isReporter && !ticket.viewer.isFollower && !following
  return (
    <PageShell className='ticket-detail'>
      <TicketSummary ticket={ticket} />
      {canFollow ? (
        <Button className='btn btn-ghost btn-block follow-ticket' onClick={() => void handleFollow()}>
          关注此工单，接收办理进展
        </Button>
      ) : null}
      <TicketActions ticket={ticket} role={session.user.role} onChanged={setTicket} />
      <View className='card'>
        <View className='card-title'>办理进度</View>
        <Timeline events={ticket.timeline} />
      </View>
    </PageShell>
  )
}
