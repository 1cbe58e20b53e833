/** Residents' data rights: consent on the server, export, account deletion, retention (docs/residents-data.md). */
export { consentGate, giveConsent, withdrawConsent } from './consent.service'
export { RetentionPurge } from './privacy.entity'
export { createPrivacyRouter } from './privacy.routes'
export { deleteMyAccount, exportMyData } from './privacy.service'
export { anonymiseClosedTickets, retentionJob } from './retention.job'
