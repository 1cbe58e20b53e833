import { RefreshToken } from '../modules/auth/refresh-token.entity'
import { User } from '../modules/auth/user.entity'
import { Community, Department, Grid, Street } from '../modules/territory/territory.entity'

/** Every entity of every module; a module adds its own here (one line) with its migration. */
export const entities = [Street, Community, Grid, Department, User, RefreshToken]
