import { useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import type { CommunityView, DepartmentView, GridView, Role, Scope, StreetView, TransferTarget } from '@palm/shared'
import { pressable } from './a11y'
import { SelectField } from './fields'
import { accountsService } from '../services/accounts.service'
import { apiRequest } from '../services/api-client'
import { territoryService } from '../services/territory.service'

/**
 * Which 转派 targets the server accepts from each role (server: tickets/commands/transfer-ticket.ts;
 * every code in the target must lie in the caller's scope, else 404; departments only from street
 * and district centres, or a department's own queue, else 403):
 * - grid worker: one of their own grids (back to the grid's queue, or to another grid they cover);
 * - community staff: the grids of their community, the community queue, or a named grid worker of it;
 * - street centre: the communities and grids of its street, and any department;
 * - district centre: any community or grid, and any department;
 * - department staff: only their own department's queue.
 */
export interface TransferPlan {
  territory: 'own-grids' | 'community' | 'street' | 'district' | 'none'
  departments: 'all' | 'own' | 'none'
  /** What to use instead for targets outside the plan (上报, 退单). */
  hint?: string
}

export function transferPlan(role: Role): TransferPlan {
  switch (role) {
    case 'grid_worker':
      return { territory: 'own-grids', departments: 'none', hint: '网格员只能转派到自己负责的网格。需要社区处理请用“上报”，不属于本网格的请用“退单”。' }
    case 'community_staff':
      return { territory: 'community', departments: 'none', hint: '只能转派到本社区的网格或社区队列。需要职能部门处理请用“上报”交街道综治中心。' }
    case 'street_admin':
      return { territory: 'street', departments: 'all' }
    case 'district_admin':
      return { territory: 'district', departments: 'all' }
    case 'department_staff':
      return { territory: 'none', departments: 'own', hint: '部门人员只能放回本部门队列。不属于本部门的请用“退单”。' }
    default:
      return { territory: 'none', departments: 'none' }
  }
}

/** A grid worker's grids, the primary first. */
export function ownGridCodes(scope: Scope): string[] {
  if (scope.gridCodes?.length) return [...scope.gridCodes]
  return scope.gridCode ? [scope.gridCode] : []
}

type Mode = 'territory' | 'department'

/**
 * The target picker of the 转派 form: exactly the targets of transferPlan for the signed-in role,
 * so no choice is refused by the server for being out of scope.
 */
export function TransferTargetPicker(props: { role: Role; scope: Scope; currentGridCode?: string; value?: TransferTarget; onChange: (t: TransferTarget | undefined) => void }) {
  const plan = transferPlan(props.role)
  const { scope, onChange } = props
  const [mode, setMode] = useState<Mode>(plan.territory === 'none' ? 'department' : 'territory')
  const [streets, setStreets] = useState<StreetView[]>([])
  const [street, setStreet] = useState<string | undefined>(plan.territory === 'street' || plan.territory === 'community' ? scope.streetCode : undefined)
  const [communities, setCommunities] = useState<CommunityView[]>([])
  const [community, setCommunity] = useState<string | undefined>(plan.territory === 'community' || plan.territory === 'own-grids' ? scope.communityCode : undefined)
  const [grids, setGrids] = useState<GridView[]>([])
  const [departments, setDepartments] = useState<DepartmentView[]>([])
  const [workers, setWorkers] = useState<Array<{ value: string; label: string }>>([])

  useEffect(() => {
    if (plan.territory === 'district')
      territoryService
        .listStreets()
        .then(setStreets)
        .catch(() => setStreets([]))
    if (plan.departments === 'all')
      apiRequest<DepartmentView[]>({ path: '/api/territory/departments', auth: false })
        .then(setDepartments)
        .catch(() => setDepartments([]))
    // Community staff may also hand a ticket to a named grid worker of their community (it moves to that worker's grid).
    if (props.role === 'community_staff')
      accountsService
        .list({ role: 'grid_worker', disabled: false })
        .then((page) => setWorkers(page.items.map((a) => ({ value: a.id, label: `${a.displayName}（${(a.gridNames ?? a.gridCodes).join('、')}）` }))))
        .catch(() => setWorkers([]))
  }, [props.role])
  useEffect(() => {
    setCommunities([])
    if ((plan.territory === 'street' || plan.territory === 'district') && street)
      territoryService
        .listCommunities(street)
        .then(setCommunities)
        .catch(() => setCommunities([]))
  }, [street])
  useEffect(() => {
    setGrids([])
    if (community && plan.territory !== 'none')
      territoryService
        .listGrids(community)
        .then(setGrids)
        .catch(() => setGrids([]))
  }, [community])

  if (plan.territory === 'own-grids') {
    const codes = ownGridCodes(scope)
    return (
      <View className='transfer-target'>
        <View className='field-label'>转派到</View>
        <View className='role-choices' role='radiogroup' aria-label='转派到'>
          {codes.map((code) => {
            const name = grids.find((g) => g.code === code)?.name ?? code
            const label = code === props.currentGridCode ? `${name}（放回网格，由本网格网格员重新签收）` : name
            const choose = () => onChange({ gridCode: code })
            const on = props.value?.gridCode === code
            return (
              <View key={code} className={`role-choice transfer-grid transfer-grid-${code}${on ? ' is-active' : ''}`} {...pressable(choose, { role: 'radio' })} aria-checked={on} onClick={choose}>
                {label}
              </View>
            )
          })}
        </View>
        {plan.hint ? <View className='muted transfer-hint'>{plan.hint}</View> : null}
      </View>
    )
  }

  if (plan.departments === 'own') {
    const code = scope.departmentCode
    const on = Boolean(code) && props.value?.departmentCode === code
    const choose = () => code && onChange({ departmentCode: code })
    return (
      <View className='transfer-target'>
        <View className='field-label'>转派到</View>
        <View className='role-choices' role='radiogroup' aria-label='转派到'>
          <View className={`role-choice transfer-department-own${on ? ' is-active' : ''}`} {...pressable(choose, { role: 'radio' })} aria-checked={on} onClick={choose}>
            本部门队列（由本部门其他人员签收）
          </View>
        </View>
        {plan.hint ? <View className='muted transfer-hint'>{plan.hint}</View> : null}
      </View>
    )
  }

  const chooseMode = (m: Mode) => {
    setMode(m)
    onChange(undefined)
  }
  const gridOptions = [{ value: '', label: '整个社区（社区队列）' }, ...grids.map((g) => ({ value: g.code, label: g.name }))]
  return (
    <View className='transfer-target'>
      {plan.departments === 'all' ? (
        <View className='role-choices' role='radiogroup' aria-label='转派给'>
          {(['territory', 'department'] as const).map((m) => (
            <View
              key={m}
              className={`role-choice transfer-mode-${m}${mode === m ? ' is-active' : ''}`}
              {...pressable(() => chooseMode(m), { role: 'radio' })}
              aria-checked={mode === m}
              onClick={() => chooseMode(m)}
            >
              {m === 'territory' ? '社区或网格' : '职能部门'}
            </View>
          ))}
        </View>
      ) : null}
      {mode === 'department' ? (
        <SelectField
          name='transfer-department'
          label='职能部门'
          options={departments.map((d) => ({ value: d.code, label: d.name }))}
          value={props.value?.departmentCode}
          placeholder='选择职能部门'
          onChange={(code) => onChange({ departmentCode: code })}
        />
      ) : (
        <>
          {plan.territory === 'district' ? (
            <SelectField
              name='transfer-street'
              label='街道'
              options={streets.map((s) => ({ value: s.code, label: s.name }))}
              value={street}
              placeholder='选择街道'
              onChange={(code) => {
                setStreet(code)
                setCommunity(undefined)
                onChange(undefined)
              }}
            />
          ) : null}
          {plan.territory === 'district' || plan.territory === 'street' ? (
            <SelectField
              name='transfer-community'
              label='社区'
              options={communities.map((c) => ({ value: c.code, label: c.name }))}
              value={community}
              placeholder={street ? '选择社区（村）' : '请先选择街道'}
              onChange={(code) => {
                setCommunity(code)
                onChange({ communityCode: code })
              }}
            />
          ) : null}
          {community ? (
            <SelectField
              name='transfer-grid'
              label={plan.territory === 'community' ? '转派到' : '网格'}
              options={gridOptions}
              value={props.value?.gridCode ?? (props.value?.communityCode ? '' : undefined)}
              placeholder='选择网格或社区队列'
              onChange={(code) => onChange(code ? { gridCode: code } : { communityCode: community })}
            />
          ) : null}
          {workers.length > 0 ? (
            <SelectField
              name='transfer-worker'
              label='或指定网格员'
              options={workers}
              value={props.value?.assigneeId}
              placeholder='选择本社区的网格员（选填）'
              onChange={(id) => onChange({ assigneeId: id })}
            />
          ) : null}
        </>
      )}
      {plan.hint ? <Text className='muted transfer-hint'>{plan.hint}</Text> : null}
    </View>
  )
}
