import { Foundation1732780800000 } from './1732780800000-foundation'

/** In order. A migration, once released, is never edited: add a new one. */
export const migrations = [Foundation1732780800000]
