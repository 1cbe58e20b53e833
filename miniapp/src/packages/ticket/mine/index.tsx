import { Button } from '@tarojs/components'
import type { TicketSummaryView } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { ListFooter, StateView } from '../../../components/state-view'
import { TicketCard } from '../../../components/ticket-card'
import { usePagedList } from '../../../hooks/use-paged-list'
import { ticketsService } from '../../../services/tickets.service'
import { Routes, openPage } from '../../../utils/routes'

/** The resident's own and followed tickets, newest first, endless. */
export default function MyTicketsPage() {
  const list = usePagedList<TicketSummaryView>((cursor) => ticketsService.list({ view: 'mine', state: 'all', cursor }), { reloadOnShow: true })
  return (
    <PageShell className='my-tickets'>
      <StateView loading={list.loading} error={list.items.length === 0 ? list.error : undefined} onRetry={() => void list.reload()} />
      {!list.loading && !list.error && list.items.length === 0 ? (
        <>
          <StateView empty emptyText='您还没有上报过问题' />
          <Button className='btn btn-primary btn-block' onClick={() => openPage(Routes.report)}>
            去随手拍
          </Button>
        </>
      ) : null}
      {list.items.map((t) => (
        <TicketCard key={t.id} ticket={t} onOpen={(id) => openPage(Routes.ticket(id))} />
      ))}
      <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} count={list.items.length} />
    </PageShell>
  )
}
