import { useRef, useState } from 'react'
import { View } from '@tarojs/components'
import { CreateBookingSchema, LegalLimits, type BookingView, type SlotView, type StationView } from '@palm/shared'
import { ActionButton } from '../../../components/buttons'
import { Chips, FormNotice, TextAreaField } from '../../../components/fields'
import { Field } from '../../../components/field'
import { isApiError } from '../../../services/api-error'
import { newIdempotencyKey } from '../../../services/idempotency'
import { legalService } from '../../../services/legal.service'
import { fieldByHead, fieldErrorsFrom, schemaIssues, textMessage } from '../../../services/form-errors'
import { PROVIDER_KIND_LABELS, formatMinutes, formatSpan } from '../../../utils/format'
import { errorMessage, showError } from '../../../services/show-error'
import { askSubscriptionFromTap } from '../../../services/subscribe'

const FIELDS = ['topic', 'description'] as const
type BookingField = (typeof FIELDS)[number]
const fieldOf = fieldByHead(FIELDS)
const MESSAGES = { topic: '请选择咨询事项', description: textMessage('请简单说明您要咨询的问题', LegalLimits.descriptionMax) }

/** Codes that mean "this slot cannot be had": the form says so in place and the slots are reloaded. */
const SLOT_REFUSALS = ['slot_full', 'slot_in_past', 'slot_too_soon', 'already_booked']

/** The refusal in words, with the station's own lead time for "too soon". */
export function refusalMessage(err: unknown, station: StationView): string {
  if (isApiError(err) && err.code === 'slot_too_soon') return `需至少提前 ${formatMinutes(station.minLeadMinutes)}预约，该时段已来不及，请选择更晚的时段`
  return errorMessage(err)
}

/**
 * Booking one slot: topic (the station's topics) and a short description, checked with the shared
 * CreateBookingSchema; one Idempotency-Key per attempt (a retry after a lost answer cannot book twice).
 */
export function BookingForm(props: { station: StationView; slot: SlotView; onBooked: (b: BookingView) => void; onRefused: () => void }) {
  const topics = props.station.topics.length ? props.station.topics : ['其他法律问题']
  const [topic, setTopic] = useState('')
  const [description, setDescription] = useState('')
  const [errors, setErrors] = useState<Partial<Record<BookingField, string>>>({})
  const [refusal, setRefusal] = useState<string>()
  const [busy, setBusy] = useState(false)
  const key = useRef(newIdempotencyKey())

  async function handleBook() {
    if (busy) return
    const input = { slotId: props.slot.id, topic, description }
    const found = fieldErrorsFrom(schemaIssues(CreateBookingSchema, input), fieldOf, MESSAGES)
    setErrors(found)
    setRefusal(undefined)
    if (Object.keys(found).length > 0) return
    // Within the tap, before any await: WeChat shows the grant dialog only then (the reminders need it).
    void askSubscriptionFromTap()
    setBusy(true)
    try {
      props.onBooked(await legalService.book(input, key.current))
    } catch (err) {
      if (isApiError(err) && !err.isNetworkError && err.status < 500) key.current = newIdempotencyKey()
      if (isApiError(err) && SLOT_REFUSALS.includes(err.code)) {
        setRefusal(refusalMessage(err, props.station))
        props.onRefused()
      } else if (isApiError(err) && err.issues.length > 0) {
        setErrors(fieldErrorsFrom(err.issues, fieldOf, MESSAGES))
      } else {
        void showError(err)
      }
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='card booking-form'>
      <View className='card-title'>填写预约信息</View>
      <View className='muted booking-slot'>{`${formatSpan(props.slot.startsAt, props.slot.endsAt)} · ${PROVIDER_KIND_LABELS[props.slot.provider.kind]} ${props.slot.provider.name}`}</View>
      <FormNotice message={refusal} className='booking-refusal' />
      <Field name='topic' label='咨询事项' required error={errors.topic}>
        <Chips
          options={topics.map((t) => ({ value: t, label: t }))}
          value={topic}
          onChange={(t) => {
            setTopic(t)
            setErrors((e) => ({ ...e, topic: undefined }))
          }}
          className='topic-chips'
        />
      </Field>
      <TextAreaField
        name='description'
        label='问题简述'
        required
        placeholder='简单说明情况，便于咨询人员提前准备（请勿填写身份证号等敏感信息）'
        maxlength={LegalLimits.descriptionMax}
        value={description}
        error={errors.description}
        onChange={(v) => {
          setDescription(v)
          setErrors((e) => ({ ...e, description: undefined }))
        }}
      />
      <ActionButton className='btn-block booking-submit' busy={busy} busyText='正在预约…' onClick={() => void handleBook()}>
        确认预约
      </ActionButton>
    </View>
  )
}
