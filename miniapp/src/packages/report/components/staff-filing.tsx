import { useEffect } from 'react'
import { Input } from '@tarojs/components'
import { STAFF_FILING_ROLES, type Role, type TicketSource } from '@palm/shared'
import { namedInput } from '../../../components/a11y'
import { ChoiceGroup } from '../../../components/choice-group'
import { Field } from '../../../components/field'
import type { ReportDraft, ReportField } from '../../../services/report-draft'

const SOURCE_OPTIONS: ReadonlyArray<{ value: TicketSource; label: string }> = [
  { value: 'patrol', label: '巡查发现' },
  { value: 'on_behalf', label: '代群众上报' }
]

export function filesForOthers(role: Role | undefined): boolean {
  return (STAFF_FILING_ROLES as readonly string[]).includes(role ?? '')
}

type Update = (patch: Partial<ReportDraft>, touched?: ReportField) => void

/**
 * Staff who file reports (grid workers, community staff) say where it comes from: their own patrol
 * (巡查发现) or a resident they file for (代报), whose phone the handler needs for the call back.
 * Residents never see this; a draft left by staff on a shared phone loses it (docs/handling.md).
 */
export function useStaffFilingDefault(role: Role | undefined, draft: ReportDraft, update: Update): void {
  const staff = filesForOthers(role)
  useEffect(() => {
    if (staff && !draft.source) update({ source: 'patrol' })
    if (!staff && draft.source) update({ source: undefined, onBehalfPhone: undefined, onBehalfName: undefined })
  }, [staff, draft.source, update])
}

export function StaffFilingFields({ draft, errors, update }: { draft: ReportDraft; errors: Partial<Record<ReportField, string>>; update: Update }) {
  return (
    <>
      <ChoiceGroup name='source' label='上报来源' options={SOURCE_OPTIONS} value={draft.source === 'on_behalf' ? 'on_behalf' : 'patrol'} onChange={(source) => update({ source })} />
      {draft.source === 'on_behalf' ? (
        <>
          <Field name='onBehalfPhone' label='群众手机号' required error={errors.onBehalfPhone} hint='仅办理人员可见，用于回访'>
            <Input
              className='field-input on-behalf-phone'
              type='number'
              maxlength={11}
              placeholder='11 位手机号'
              {...namedInput('群众手机号')}
              value={draft.onBehalfPhone ?? ''}
              onInput={(e) => update({ onBehalfPhone: e.detail.value }, 'onBehalfPhone')}
            />
          </Field>
          <Field name='onBehalfName' label='群众称呼（选填）' error={errors.onBehalfName}>
            <Input
              className='field-input on-behalf-name'
              maxlength={32}
              placeholder='如：王阿姨'
              {...namedInput('群众称呼')}
              value={draft.onBehalfName ?? ''}
              onInput={(e) => update({ onBehalfName: e.detail.value }, 'onBehalfName')}
            />
          </Field>
        </>
      ) : null}
    </>
  )
}
