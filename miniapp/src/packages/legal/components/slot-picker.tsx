import { View, Text } from '@tarojs/components'
import type { SlotView } from '@palm/shared'
import { Chips } from '../../../components/fields'
import { PROVIDER_KIND_LABELS, dateKeyOf, formatClock, formatDay } from '../../../utils/format'

/** The days that have slots, in order. */
export function slotDays(slots: readonly SlotView[]): string[] {
  return [...new Set(slots.map((s) => dateKeyOf(s.startsAt)))]
}

function seatsText(slot: SlotView): { text: string; full: boolean } {
  if (slot.remaining <= 0) return { text: '已约满', full: true }
  if (!slot.bookable) return { text: '已过预约时间', full: true }
  return { text: `剩余 ${slot.remaining} 个名额`, full: false }
}

/**
 * Slots by day with their remaining seats: a day row on top, that day's slots below. Only a
 * bookable slot can be chosen; a full or too-late one says why.
 */
export function SlotPicker(props: { slots: readonly SlotView[]; day: string; onDay: (day: string) => void; selected?: string; onSelect: (slot: SlotView) => void; heldSlotIds?: readonly string[] }) {
  const days = slotDays(props.slots)
  const today = props.slots.filter((s) => dateKeyOf(s.startsAt) === props.day)
  return (
    <View className='slot-picker'>
      <Chips options={days.map((d) => ({ value: d, label: formatDay(d) }))} value={props.day} onChange={props.onDay} className='day-chips' />
      {today.map((slot) => {
        const seats = seatsText(slot)
        const held = props.heldSlotIds?.includes(slot.id) ?? false
        const off = seats.full || held
        return (
          <View
            key={slot.id}
            className={`slot${props.selected === slot.id ? ' is-selected' : ''}${off ? ' is-off' : ''}${held ? ' is-held' : ''}`}
            role='button'
            aria-disabled={off}
            data-slot={slot.id}
            onClick={() => (off ? undefined : props.onSelect(slot))}
          >
            <View className='slot-who'>
              <Text className='slot-time'>{`${formatClock(slot.startsAt)}–${formatClock(slot.endsAt)}`}</Text>
              <Text className='muted'>{`${PROVIDER_KIND_LABELS[slot.provider.kind]} ${slot.provider.name}`}</Text>
            </View>
            <Text className={`slot-seats${seats.full ? ' is-full' : ''}`}>{held ? '您已预约' : seats.text}</Text>
          </View>
        )
      })}
    </View>
  )
}
