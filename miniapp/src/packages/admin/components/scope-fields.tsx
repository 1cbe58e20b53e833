import { useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { DepartmentView, StaffRole, StreetView } from '@palm/shared'
import { Field } from '../../../components/field'
import { pressable } from '../../../components/a11y'
import { CommunityPicker, type TerritoryPick } from '../../../components/community-picker'
import { SelectField } from '../../../components/fields'
import { apiRequest } from '../../../services/api-client'
import { showError } from '../../../services/show-error'
import { territoryService } from '../../../services/territory.service'
import type { AccountField, AccountFormState, ChosenGrid } from '../account/account-form'
import { ActionButton } from '../../../components/buttons'

/** The scope pickers of one role: several grids for a grid worker, a community, a street or a department. */
export function ScopeFields(props: {
  role: StaffRole
  state: AccountFormState
  actorStreet?: string
  errors: Partial<Record<AccountField, string>>
  onChange: (patch: Partial<AccountFormState>) => void
}) {
  const { role, state, errors, onChange } = props
  const [pending, setPending] = useState<TerritoryPick>()
  const [streets, setStreets] = useState<StreetView[]>([])
  const [departments, setDepartments] = useState<DepartmentView[]>([])
  useEffect(() => {
    if (role === 'street_admin' && streets.length === 0)
      territoryService
        .listStreets()
        .then(setStreets)
        .catch((e: unknown) => void showError(e))
    if (role === 'department_staff' && departments.length === 0)
      apiRequest<DepartmentView[]>({ path: '/api/territory/departments', auth: false })
        .then(setDepartments)
        .catch((e: unknown) => void showError(e))
  }, [role, streets.length, departments.length])

  if (role === 'district_admin') return <View className='muted scope-district'>区综治中心账号管理全区；登录时还须输入动态验证码（创建后显示设置密钥）。</View>

  if (role === 'grid_worker') {
    const add = () => {
      const g = pending?.grid
      if (!g) {
        void Taro.showToast({ title: '请先选择网格', icon: 'none' })
        return
      }
      if (state.grids.some((x) => x.code === g.code)) return
      const next: ChosenGrid[] = [...state.grids, { code: g.code, name: g.name, communityCode: pending.community?.code }]
      onChange({ grids: next })
    }
    return (
      <Field name='gridCodes' label='负责网格（可多个，须同一社区；第一个为主网格）' error={errors.gridCodes}>
        {state.grids.length === 0 ? (
          <Text className='muted'>尚未选择网格</Text>
        ) : (
          <View className='grid-chips' role='list' aria-label='已选网格'>
            {state.grids.map((g, i) => (
              <View key={g.code} className='grid-chip' role='listitem'>
                <Text>{`${g.name}${i === 0 ? '（主）' : ''}`}</Text>
                <View
                  className='grid-chip-remove'
                  {...pressable(() => onChange({ grids: state.grids.filter((x) => x.code !== g.code) }), { label: `移除${g.name}` })}
                  onClick={() => onChange({ grids: state.grids.filter((x) => x.code !== g.code) })}
                >
                  ✕
                </View>
              </View>
            ))}
          </View>
        )}
        <CommunityPicker depth='grid' initial={{ streetCode: props.actorStreet ?? state.streetCode, communityCode: state.communityCode }} onChange={setPending} />
        <ActionButton kind='ghost' className='grid-add' onClick={add}>
          添加网格
        </ActionButton>
      </Field>
    )
  }

  if (role === 'community_staff') {
    return (
      <Field name='communityCode' label='所在社区' error={errors.communityCode}>
        <CommunityPicker
          depth='community'
          initial={{ streetCode: props.actorStreet ?? state.streetCode, communityCode: state.communityCode }}
          onChange={(p) => onChange({ communityCode: p?.community?.code, streetCode: p?.street.code })}
        />
      </Field>
    )
  }

  if (role === 'street_admin') {
    return (
      <SelectField
        name='streetCode'
        label='所在街道'
        options={streets.map((s) => ({ value: s.code, label: s.name }))}
        value={state.streetCode}
        placeholder='选择街道'
        error={errors.streetCode}
        onChange={(code) => onChange({ streetCode: code })}
      />
    )
  }

  return (
    <SelectField
      name='departmentCode'
      label='所属部门'
      options={departments.map((d) => ({ value: d.code, label: d.name }))}
      value={state.departmentCode}
      placeholder='选择部门'
      error={errors.departmentCode}
      onChange={(code) => onChange({ departmentCode: code })}
    />
  )
}
