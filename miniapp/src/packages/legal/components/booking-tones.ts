import type { BookingStatus } from '@palm/shared'
import type { Tone } from '../../../components/facts'

export const BOOKING_TONES: Record<BookingStatus, Tone> = { booked: 'warn', completed: 'ok', cancelled: 'plain', no_show: 'danger' }
