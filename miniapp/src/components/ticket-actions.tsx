import { View, Button } from '@tarojs/components'
import type { Role, TicketView } from '@palm/shared'
import { TransferTargetPicker } from './ticket-actions-transfer'
import { CallbackResultField, CohandlerField, ExtensionAskedField, ExtensionRequestField, HandlingStatus, NoteField, PhotosField, RatingField, ReplyTemplatesField } from './ticket-actions-fields'
import { WITH_PHOTOS, WITH_TEMPLATES, useTicketActions, type ActionTicket } from './ticket-actions-hook'
import { pressable } from './a11y'
import { useSession } from '../hooks/use-session'
import { ACTION_LABELS } from '../utils/format'
import './ticket-actions.scss'

const PRIMARY = new Set(['accept', 'resolve', 'rate', 'extend_approve', 'resume', 'callback'])

/**
 * The 办理 card: what the handling left open (HandlingStatus), the buttons for what this person may
 * do now, and the open form, drawn from useTicketActions (state and sending) with one field component
 * per kind of input (ticket-actions-fields.tsx). See docs/handling.md for the steps.
 */
export function TicketActions({ ticket, role, onChanged }: { ticket: ActionTicket; role: Role; onChanged: (t: TicketView) => void }) {
  const a = useTicketActions(ticket, role, onChanged)
  const scope = useSession()?.user.scope ?? {}
  const status = <HandlingStatus ticket={ticket} />
  if (a.allowed.length === 0) {
    return ticket.extension || ticket.state === 'suspended' || ticket.needsCallback ? <View className='card ticket-actions'>{status}</View> : null
  }
  const open = a.open
  return (
    <View className='card ticket-actions'>
      <View className='card-title'>办理</View>
      {status}
      <View className='btn-row'>
        {a.allowed.map((event) => (
          <Button
            key={event}
            className={`btn action-${event} ${PRIMARY.has(event) ? 'btn-primary' : 'btn-ghost'}${a.busy ? ' btn-disabled' : ''}`}
            disabled={a.busy || undefined}
            {...pressable(() => void a.handleTap(event))}
            onClick={() => void a.handleTap(event)}
          >
            {ACTION_LABELS[event]}
          </Button>
        ))}
      </View>
      {open ? (
        <View className={`action-form action-form-${open}`} role='group' aria-label={ACTION_LABELS[open]}>
          <View className='action-form-title'>{ACTION_LABELS[open]}</View>
          {open === 'rate' ? <RatingField score={a.score} onChange={a.setScore} /> : null}
          {open === 'transfer' ? <TransferTargetPicker role={role} scope={scope} currentGridCode={ticket.grid?.code} value={a.target} onChange={a.setTarget} /> : null}
          {open === 'extend_request' ? <ExtensionRequestField resolveDueAt={ticket.resolveDueAt} value={a.extensionDays} onChange={a.setExtensionDays} /> : null}
          {open === 'extend_approve' || open === 'extend_deny' ? <ExtensionAskedField ticket={ticket} /> : null}
          {open === 'cohandle' ? <CohandlerField value={a.cohandler} onChange={a.setCohandler} error={a.fieldError} /> : null}
          {open === 'callback' ? <CallbackResultField value={a.callbackResult} onChange={a.setCallbackResult} error={a.fieldError} /> : null}
          {WITH_TEMPLATES.includes(open) ? <ReplyTemplatesField ticket={ticket} onPick={a.setNote} /> : null}
          <NoteField event={open} value={a.note} error={a.noteError} onChange={a.setNote} />
          {WITH_PHOTOS.includes(open) ? <PhotosField photos={a.photos} uploading={a.uploading} onAdd={(p) => void a.addPhotos(p)} onRemove={a.removePhoto} /> : null}
          <View className='btn-row'>
            <Button className='btn action-cancel' {...pressable(a.close)} onClick={a.close}>
              取消
            </Button>
            <Button
              className={`btn btn-primary action-confirm${a.busy ? ' btn-disabled' : ''}`}
              disabled={a.busy || undefined}
              {...pressable(() => void a.send(open))}
              onClick={() => void a.send(open)}
            >
              确认{ACTION_LABELS[open]}
            </Button>
          </View>
        </View>
      ) : null}
    </View>
  )
}
