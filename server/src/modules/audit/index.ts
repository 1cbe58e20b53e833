/**
 * The audit trail (docs/audit.md): append-only, hash-chained rows of every staff write, sign-in and
 * view of a resident's personal data. Services call recordAudit(em, …) in the transaction of the
 * change; routes that only read personal data call recordAuditView(ds, …).
 */
export { recordAudit, recordAuditView, verifyAuditChain, listAudit, exportAudit, type AuditEntry, type AuditActor, type VerifyResult } from './audit.service'
export { auditRequestContext, currentAuditContext, runWithAuditContext, type AuditRequestContext } from './audit.context'
export { createAuditRouter } from './audit.routes'
export { AuditEvent, AuditHead } from './audit.entity'
export { withAuditedTx, auditStaffRead } from './audit.http'
