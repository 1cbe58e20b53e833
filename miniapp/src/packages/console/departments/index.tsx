import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { ConsoleLimits, CreateDepartmentSchema, UpdateDepartmentSchema, type AdminDepartmentView } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { FormNotice, TextField } from '../../../components/fields'
import { StaffOnly } from '../../../components/access-cards'
import { useAction, useResource } from '../../../hooks/use-resource'
import { isApiError } from '../../../services/api-error'
import { consoleService } from '../../../services/console.service'
import { fieldByHead, fieldErrorsFrom, schemaIssues } from '../../../services/form-errors'
import { showError } from '../../../services/show-error'
import { Routes } from '../../../utils/routes'
import { ActionButton } from '../../../components/buttons'
import { CONSOLE_READERS, useConsoleAccess } from '../components/console-ui'
import '../components/console.scss'

const FIELDS = ['code', 'name'] as const
const fieldOf = fieldByHead(FIELDS)
const MESSAGES = {
  code: '编码用小写英文字母、数字和下划线，以字母开头，如 tax_bureau',
  name: `请填写部门名称（不超过 ${ConsoleLimits.departmentNameMax} 字）`
}

/** Why a department cannot be switched off: the rules that send tickets to it. */
function receiverMessage(err: unknown, activeRules: number): string | undefined {
  if (!isApiError(err) || err.code !== 'category_without_receiver') return undefined
  const rules = activeRules > 0 ? ` ${activeRules} 条` : ''
  return `还有${rules}启用的分拨规则把工单转给这个部门，停用后这些工单将无人接收。请先在“分拨规则”里改掉或停用这些规则，再停用部门。`
}

function NewDepartment({ onCreated }: { onCreated: () => void }) {
  const [code, setCode] = useState('')
  const [name, setName] = useState('')
  const [errors, setErrors] = useState<Partial<Record<'code' | 'name', string>>>({})
  const action = useAction()
  async function handleCreate() {
    const found = fieldErrorsFrom(schemaIssues(CreateDepartmentSchema, { code, name }), fieldOf, MESSAGES)
    setErrors(found)
    if (Object.keys(found).length > 0) return
    await action.run(async () => {
      try {
        await consoleService.createDepartment({ code, name, active: true })
        setCode('')
        setName('')
        void Taro.showToast({ title: '已新增', icon: 'success' })
        onCreated()
      } catch (err) {
        if (isApiError(err) && err.code === 'conflict') setErrors({ code: '这个编码已被使用' })
        else if (isApiError(err) && err.issues.length > 0) setErrors(fieldErrorsFrom(err.issues, fieldOf, MESSAGES))
        else void showError(err)
      }
    })
  }
  const submit = () => void handleCreate()
  return (
    <View className='card department-new'>
      <View className='card-title' role='heading' aria-level={2}>
        新增部门
      </View>
      <TextField name='code' label='部门编码' required maxlength={ConsoleLimits.codeMax} placeholder='如 tax_bureau' value={code} error={errors.code} onChange={setCode} onSubmit={submit} />
      <TextField name='name' label='部门名称' required maxlength={ConsoleLimits.departmentNameMax} placeholder='如 区税务局' value={name} error={errors.name} onChange={setName} onSubmit={submit} />
      <ActionButton className='department-create' busy={action.busy} busyText='正在新增…' onClick={submit}>
        新增部门
      </ActionButton>
    </View>
  )
}

function DepartmentRow({ d, canWrite, onChanged }: { d: AdminDepartmentView; canWrite: boolean; onChanged: (next: AdminDepartmentView) => void }) {
  const [editing, setEditing] = useState(false)
  const [name, setName] = useState(d.name)
  const [error, setError] = useState<string>()
  const [notice, setNotice] = useState<string>()
  const action = useAction()

  async function save(change: { name?: string; active?: boolean }) {
    if (change.name !== undefined && schemaIssues(UpdateDepartmentSchema, change).length > 0) {
      setError(MESSAGES.name)
      return
    }
    setError(undefined)
    setNotice(undefined)
    await action.run(async () => {
      try {
        const next = await consoleService.updateDepartment(d.code, change)
        setEditing(false)
        onChanged(next)
      } catch (err) {
        const why = receiverMessage(err, d.activeRules)
        if (why) setNotice(why)
        else void showError(err)
      }
    })
  }
  const rename = () => void save({ name })

  return (
    <View className={`row department department-${d.code}`}>
      <View className='console-row-text'>
        <Text className='console-row-title'>{d.name}</Text>
        <View className='console-tags'>
          <Text className='console-tag'>{d.code}</Text>
          <Text className={`console-tag ${d.active ? 'is-ok' : 'is-off'}`}>{d.active ? '启用' : '已停用'}</Text>
          <Text className='console-tag'>{d.activeRules > 0 ? `${d.activeRules} 条规则转入` : '无规则转入'}</Text>
        </View>
      </View>
      <FormNotice message={notice} />
      {canWrite && editing ? (
        <View className='console-edit-inline'>
          <TextField name={`name-${d.code}`} label={`${d.name}的新名称`} maxlength={ConsoleLimits.departmentNameMax} value={name} error={error} onChange={setName} onSubmit={rename} />
          <View className='console-row-actions'>
            <ActionButton className='department-rename-save' busy={action.busy} onClick={rename}>
              保存名称
            </ActionButton>
            <ActionButton kind='ghost' onClick={() => setEditing(false)}>
              取消
            </ActionButton>
          </View>
        </View>
      ) : null}
      {canWrite && !editing ? (
        <View className='console-row-actions'>
          <ActionButton kind='ghost' className='department-rename' label={`改名：${d.name}`} onClick={() => setEditing(true)}>
            改名
          </ActionButton>
          <ActionButton
            kind={d.active ? 'danger' : 'ghost'}
            className='department-toggle'
            label={`${d.active ? '停用' : '启用'}：${d.name}`}
            busy={action.busy}
            onClick={() => void save({ active: !d.active })}
          >
            {d.active ? '停用' : '启用'}
          </ActionButton>
        </View>
      ) : null}
    </View>
  )
}

function DepartmentList() {
  const { canWrite } = useConsoleAccess()
  const list = useResource(() => consoleService.listDepartments())
  if (!list.data) return <StateView loading={list.loading} error={list.error} onRetry={() => void list.reload()} />
  const departments = list.data
  const replace = (next: AdminDepartmentView) => list.setData(departments.map((d) => (d.code === next.code ? next : d)))
  return (
    <>
      {canWrite ? <NewDepartment onCreated={() => void list.reload(true)} /> : <View className='notice'>街道管理员可查看，修改请联系区综治中心。</View>}
      <View className='console-section' role='heading' aria-level={2}>
        {`全部部门（${departments.length}）`}
      </View>
      <StateView empty={departments.length === 0} emptyText='还没有部门' />
      {departments.length > 0 ? (
        <View className='card'>
          {departments.map((d) => (
            <DepartmentRow key={d.code} d={d} canWrite={canWrite} onChanged={replace} />
          ))}
        </View>
      ) : null}
    </>
  )
}

/** 职能部门: the queues rules can send tickets to; add, rename, switch off (docs/console.md). */
export default function ConsoleDepartmentsPage() {
  return (
    <PageShell className='console-page console-departments'>
      <StaffOnly roles={CONSOLE_READERS} back={Routes.consoleDepartments}>
        <DepartmentList />
      </StaffOnly>
    </PageShell>
  )
}
