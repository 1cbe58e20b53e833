import { useState } from 'react'
import { View } from '@tarojs/components'
import { CreateProviderSchema, PROVIDER_KINDS, type ProviderKind } from '@palm/shared'
import { ActionButton } from '../../../components/buttons'
import { SelectField, TextField } from '../../../components/fields'
import { useAction } from '../../../hooks/use-resource'
import { legalService } from '../../../services/legal.service'
import { schemaIssues } from '../../../services/form-errors'
import { PROVIDER_KIND_LABELS } from '../../../utils/format'
import { showError } from '../../../services/show-error'

/** A new lawyer, mediator or counsellor at a station. */
export function ProviderForm({ stationId, onAdded }: { stationId: string; onAdded: () => void }) {
  const [name, setName] = useState('')
  const [kind, setKind] = useState<ProviderKind>('lawyer')
  const [topics, setTopics] = useState('')
  const [error, setError] = useState<string>()
  const action = useAction()

  async function handleAdd() {
    const input = {
      name,
      kind,
      topics: topics
        .split(/[,，、\s]+/)
        .map((t) => t.trim())
        .filter(Boolean),
      bio: ''
    }
    const bad = schemaIssues(CreateProviderSchema, input).length > 0
    setError(bad ? '请填写姓名（不超过 64 字），擅长事项最多 12 项' : undefined)
    if (bad) return
    await action.run(async () => {
      try {
        await legalService.createProvider(stationId, input)
        setName('')
        setTopics('')
        onAdded()
      } catch (err) {
        void showError(err)
      }
    })
  }

  return (
    <View className='card provider-form'>
      <View className='card-title'>添加咨询人员</View>
      <TextField name='providerName' label='姓名' required maxlength={64} value={name} error={error} onChange={setName} />
      <SelectField name='providerKind' label='身份' options={PROVIDER_KINDS.map((k) => ({ value: k, label: PROVIDER_KIND_LABELS[k] }))} value={kind} onChange={setKind} />
      <TextField name='providerTopics' label='擅长事项' placeholder='用顿号分隔' maxlength={400} value={topics} onChange={setTopics} />
      <ActionButton className='btn-block' busy={action.busy} onClick={() => void handleAdd()}>
        添加
      </ActionButton>
    </View>
  )
}
