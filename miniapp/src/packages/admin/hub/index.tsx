import { View, Text } from '@tarojs/components'
import { SUPERVISOR_ROLES } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { pressable } from '../../../components/a11y'
import { StaffOnly } from '../../../components/access-cards'
import { useSession } from '../../../hooks/use-session'
import { ROLE_LABELS } from '../../../utils/format'
import { Routes, openPage } from '../../../utils/routes'
import { hubLinksFor } from '../components/admin-roles'
import '../components/admin.scss'

function Links() {
  const session = useSession()
  const links = hubLinksFor(session?.user.role)
  return (
    <>
      <View className='muted admin-who'>{`${session?.user.displayName ?? ''} · ${ROLE_LABELS[session?.user.role ?? ''] ?? ''}`}</View>
      <View className='card'>
        {links.map((l) => (
          <View key={l.key} className={`row admin-link admin-link-${l.key}`} {...pressable(() => openPage(l.url), { role: 'link' })} onClick={() => openPage(l.url)}>
            <View className='admin-link-text'>
              <Text className='admin-link-title'>{l.title}</Text>
              <Text className='muted'>{l.text}</Text>
            </View>
            <Text className='muted' aria-hidden='true'>
              ›
            </Text>
          </View>
        ))}
      </View>
    </>
  )
}

/** 管理: the admin pages each role may use (accounts, duty; the district also configuration and territory). */
export default function AdminHubPage() {
  return (
    <PageShell className='admin-page admin-hub'>
      <StaffOnly roles={SUPERVISOR_ROLES} back={Routes.adminHub}>
        <Links />
      </StaffOnly>
    </PageShell>
  )
}
