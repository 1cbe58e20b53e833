import { useCallback, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro'
import type { TicketView } from '@palm/shared'
import { ticketsService } from '../services/tickets.service'

/** Loads the ticket named by `?id=` when the page shows, and again on pull-down. */
export function useTicket() {
  const { params } = useRouter()
  const id = params.id ?? ''
  const [ticket, setTicket] = useState<TicketView>()
  const [error, setError] = useState<unknown>()
  const [loading, setLoading] = useState(true)

  const load = useCallback(
    async (quiet = false) => {
      if (!quiet) setLoading(true)
      setError(undefined)
      try {
        setTicket(await ticketsService.get(id))
      } catch (err) {
        setError(err)
      } finally {
        setLoading(false)
      }
    },
    [id]
  )

  useDidShow(() => void load(Boolean(ticket)))
  usePullDownRefresh(() => void load(true).finally(() => Taro.stopPullDownRefresh()))
  return { id, ticket, setTicket, error, loading, reload: load }
}
