export * from './errors/problem'
export * from './auth/roles'
export * from './common/pagination'
export * from './common/geo'
