import { Foundation1732780800000 } from './1732780800000-foundation'
import { Routing1732780800050 } from './1732780800050-routing'
import { ReferenceData1732780800060 } from './1732780800060-reference-data'
import { Tickets1732780800100 } from './1732780800100-tickets'
import { Notifications1732780800150 } from './1732780800150-notifications'
import { Services1732780800200 } from './1732780800200-services'
import { TicketCloseIndex1732780800300 } from './1732780800300-ticket-close-index'
import { AccountsDuty1732780800400 } from './1732780800400-accounts-duty'
import { Console1732780800500 } from './1732780800500-console'
import { TerritoryImport1732780800600 } from './1732780800600-territory-import'
import { Open311Keys1732780800900 } from './1732780800900-open311'
import { Audit1732780801000 } from './1732780801000-audit'
import { RateLimits1732780801200 } from './1732780801200-rate-limits'
import { Privacy1732780801100 } from './1732780801100-privacy'
import { PlacesAndGrids1732780801400 } from './1732780801400-places-and-grids'
import { StatsDaily1732780801500 } from './1732780801500-stats-daily'
import { TicketHandling1732780801600 } from './1732780801600-ticket-handling'
import { OneNotificationPath1732780801800 } from './1732780801800-one-notification-path'
import { HotspotIndexes1732780802000 } from './1732780802000-hotspot-indexes'

/** In order. A migration, once released, is never edited: add a new one. */
export const migrations = [
  Foundation1732780800000,
  Routing1732780800050,
  ReferenceData1732780800060,
  Tickets1732780800100,
  Notifications1732780800150,
  Services1732780800200,
  TicketCloseIndex1732780800300,
  AccountsDuty1732780800400,
  Console1732780800500,
  TerritoryImport1732780800600,
  Open311Keys1732780800900,
  Audit1732780801000,
  RateLimits1732780801200,
  Privacy1732780801100,
  StatsDaily1732780801500,
  TicketHandling1732780801600,
  PlacesAndGrids1732780801400,
  OneNotificationPath1732780801800,
  HotspotIndexes1732780802000
]
