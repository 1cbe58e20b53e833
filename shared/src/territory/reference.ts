/**
 * The district's real reference data: the 18 sub-districts (街道) with their national codes
 * (docs/domain.md "The territory") and the functional departments that hold ticket queues. Communities,
 * grids and people are synthetic demo data and live in the server's demo seeder.
 */

export const STREETS = [
  { code: '140213050', name: '永泰街道' },
  { code: '140213051', name: '古城街道' },
  { code: '140213052', name: '新旺街道' },
  { code: '140213053', name: '迎宾街道' },
  { code: '140213054', name: '振华街道' },
  { code: '140213055', name: '清远街道' },
  { code: '140213056', name: '武定街道' },
  { code: '140213057', name: '御河街道' },
  { code: '140213058', name: '开源街道' },
  { code: '140213059', name: '大庆路街道' },
  { code: '140213060', name: '马军营街道' },
  { code: '140213061', name: '卧虎湾街道' },
  { code: '140213062', name: '新华街道' },
  { code: '140213063', name: '鹿苑街道' },
  { code: '140213064', name: '白登山街道' },
  { code: '140213065', name: '文瀛湖街道' },
  { code: '140213066', name: '水泊寺街道' },
  { code: '140213067', name: '小南头街道' }
] as const satisfies ReadonlyArray<{ code: string; name: string }>

export type StreetCode = (typeof STREETS)[number]['code']

/** Department codes are stable identifiers: routing rules and ticket queues refer to them. */
export const DEPARTMENTS = [
  { code: 'housing_bureau', name: '区住建局' },
  { code: 'justice_bureau', name: '区司法局' },
  { code: 'anti_fraud_centre', name: '反诈中心' },
  { code: 'health_commission', name: '区卫健委' },
  { code: 'urban_management', name: '区城市管理局' },
  { code: 'emergency_management', name: '区应急管理局' },
  { code: 'civil_affairs', name: '区民政局' }
] as const satisfies ReadonlyArray<{ code: string; name: string }>

export type DepartmentCode = (typeof DEPARTMENTS)[number]['code']
export const DEPARTMENT_CODES: readonly DepartmentCode[] = DEPARTMENTS.map((d) => d.code)
