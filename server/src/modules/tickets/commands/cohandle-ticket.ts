import { ConflictError, NotFoundError, ValidationError } from '../../../errors'
import { isUniqueViolation } from '../../../db/errors'
import { Department } from '../../territory/territory.entity'
import { TicketCohandler } from '../ticket.entity'
import { isSystemActor } from '../ticket-actor'
import type { TransitionCommand } from './transition-context'

/**
 * 邀请协办: a department works beside the assignee (the assignee keeps the ticket and its clock). Its
 * staff then see the ticket and may add 协办意见. A department is asked once; the queue's own
 * department is not asked to help itself.
 * @throws NotFoundError for an unknown department; ValidationError for the ticket's own; ConflictError already_cohandling
 */
export const cohandleTicket: TransitionCommand = async ({ em, actor, ticket, input, now }) => {
  const code = input.cohandler?.departmentCode ?? ''
  const department = await em.getRepository(Department).findOneBy({ code })
  if (!department) throw new NotFoundError('There is no such department.')
  if (ticket.departmentCode === code) throw new ValidationError([{ path: 'cohandler.departmentCode', code: 'own_department', message: 'The ticket is already in this department.' }])
  const already = () => new ConflictError('already_cohandling', 'This department already co-handles the ticket.')
  if (await em.getRepository(TicketCohandler).countBy({ ticketId: ticket.id, departmentCode: code })) throw already()
  try {
    await em.getRepository(TicketCohandler).insert({ ticketId: ticket.id, departmentCode: code, invitedBy: isSystemActor(actor) ? 'system' : actor.id, createdAt: now })
  } catch (err) {
    if (isUniqueViolation(err)) throw already()
    throw err
  }
  return {
    patch: { cohandled: true },
    data: { departmentCode: code, departmentName: department.name },
    note: `邀请${department.name}协办${input.note ? `：${input.note}` : ''}`
  }
}

/** 协办意见: what the co-handling department found or did; the assignee carries on. */
export const cohandleReplyTicket: TransitionCommand = async () => ({ patch: {} })
