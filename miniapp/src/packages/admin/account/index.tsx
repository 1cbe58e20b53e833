import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'

export default function Placeholder() {
  return (
    <PageShell>
      <StateView loading />
    </PageShell>
  )
}
