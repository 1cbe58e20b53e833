export { createAccountsRouter } from './accounts.routes'
export { accessTo, ACCOUNT_MANAGERS, ACCOUNT_READERS } from './accounts.scope'
