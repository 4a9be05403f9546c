export * from './model'
export * from './events'
export * from './calls'
export * from './limits'
