import { useState } from 'react'
import { View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { ConsoleLimits, CreateCategorySchema, TICKET_KINDS, UpdateCategorySchema, type CategoryView, type TicketKind } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { StateView } from '../../../components/state-view'
import { FormNotice, TextField, ToggleField } from '../../../components/fields'
import { StaffOnly } from '../../../components/access-cards'
import { useAction, useResource } from '../../../hooks/use-resource'
import { isApiError } from '../../../services/api-error'
import { consoleService } from '../../../services/console.service'
import { fieldByHead, fieldErrorsFrom, schemaIssues, type PathIssue } from '../../../services/form-errors'
import { showError } from '../../../services/show-error'
import { Routes } from '../../../utils/routes'
import { ActionButton } from '../../../components/buttons'
import { ChoiceGroup } from '../../../components/choice-group'
import { KIND_LABELS, hoursText, limitText, minutesFrom } from '../components/console-format'
import { ReplyTemplatesCard } from '../components/reply-templates-card'
import '../components/console.scss'

const FIELDS = ['code', 'name', 'kind', 'acceptWithin', 'resolveWithin'] as const
type CategoryField = (typeof FIELDS)[number]
const fieldOf = fieldByHead(FIELDS)
const MESSAGES: Record<CategoryField, string | ((code: string) => string)> = {
  code: '编码用小写英文字母、数字和下划线，以字母开头，如 parking',
  name: `请填写名称（不超过 ${ConsoleLimits.categoryNameMax} 字）`,
  kind: '请选择类型',
  acceptWithin: (code) => (code === 'custom' ? '受理时限不能长于办结时限' : code === 'too_big' ? '受理时限不能长于办结时限，最长 450 小时' : '受理时限须大于 0（单位：工作小时）'),
  resolveWithin: '办结时限须大于 0（单位：工作小时，最长 450 小时）'
}

/** Loads the category first, so the form's fields are filled once, when they are first drawn. */
function CategoryFormLoader({ code }: { code?: string }) {
  const existing = useResource(() => (code ? consoleService.listCategories().then((l) => l.find((c) => c.code === code)) : Promise.resolve(undefined)), { reloadOnShow: false })
  if (code && !existing.data) {
    if (!existing.loading && !existing.error) return <StateView empty emptyText='没有这个类别' />
    return <StateView loading={existing.loading} error={existing.error} onRetry={() => void existing.reload()} />
  }
  return <CategoryForm code={code} existing={existing.data} />
}

function CategoryForm({ code, existing }: { code?: string; existing?: CategoryView }) {
  const [newCode, setNewCode] = useState('')
  const [name, setName] = useState(existing?.name ?? '')
  const [kind, setKind] = useState<TicketKind>(existing?.kind ?? 'report')
  const [accept, setAccept] = useState(existing ? hoursText(existing.acceptWithin) : '2')
  const [resolve, setResolve] = useState(existing ? hoursText(existing.resolveWithin) : '22.5')
  const [active, setActive] = useState(existing?.active ?? true)
  const [errors, setErrors] = useState<Partial<Record<CategoryField, string>>>({})
  const [notice, setNotice] = useState<string>()
  const action = useAction()

  const show = (issues: readonly PathIssue[]) => fieldErrorsFrom(issues, fieldOf, MESSAGES)
  const acceptWithin = minutesFrom(accept)
  const resolveWithin = minutesFrom(resolve)

  async function handleSave() {
    const body = code ? { name, acceptWithin, resolveWithin, active } : { code: newCode, name, kind, acceptWithin, resolveWithin, active }
    const found = show(schemaIssues(code ? UpdateCategorySchema : CreateCategorySchema, body))
    setErrors(found)
    setNotice(undefined)
    if (Object.keys(found).length > 0) return
    await action.run(async () => {
      try {
        if (code) await consoleService.updateCategory(code, { name, acceptWithin, resolveWithin, active })
        else await consoleService.createCategory({ code: newCode, name, kind, acceptWithin, resolveWithin, active })
        void Taro.showToast({ title: '已保存', icon: 'success' })
        void Taro.navigateBack()
      } catch (err) {
        if (isApiError(err) && err.code === 'conflict') setErrors({ code: '这个编码已被使用，请换一个' })
        else if (isApiError(err) && err.issues.length > 0) setErrors(show(err.issues))
        else if (isApiError(err) && err.code === 'not_found') setNotice('这个类别已不存在，请返回列表刷新')
        else void showError(err)
      }
    })
  }
  const submit = () => void handleSave()

  return (
    <>
      <FormNotice message={notice} />
      <View className='card'>
        {code ? (
          <View className='muted category-code'>{`编码：${code} · ${KIND_LABELS[kind]}（编码和类型建好后不能改）`}</View>
        ) : (
          <>
            <TextField name='code' label='编码' required maxlength={ConsoleLimits.codeMax} placeholder='如 parking' value={newCode} error={errors.code} onChange={setNewCode} onSubmit={submit} />
            <ChoiceGroup name='kind' label='类型' options={TICKET_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))} value={kind} error={errors.kind} onChange={setKind} />
          </>
        )}
        <TextField name='name' label='名称' required maxlength={ConsoleLimits.categoryNameMax} value={name} error={errors.name} onChange={setName} onSubmit={submit} />
        <TextField
          name='acceptWithin'
          label='受理时限（工作小时）'
          type='digit'
          required
          value={accept}
          error={errors.acceptWithin}
          hint={Number.isFinite(acceptWithin) && acceptWithin > 0 ? `即 ${limitText(acceptWithin)}` : '可填小数，如 0.5 表示 30 分钟'}
          onChange={setAccept}
          onSubmit={submit}
        />
        <TextField
          name='resolveWithin'
          label='办结时限（工作小时）'
          type='digit'
          required
          value={resolve}
          error={errors.resolveWithin}
          hint={Number.isFinite(resolveWithin) && resolveWithin > 0 ? `即 ${limitText(resolveWithin)}（1 个工作日 = 7.5 小时）` : '1 个工作日 = 7.5 小时'}
          onChange={setResolve}
          onSubmit={submit}
        />
        <ToggleField className='field' name='active' label='启用（居民可选择）' checked={active} onChange={setActive} hint='停用后居民不能再选这个类别，已有工单不受影响。' />
      </View>
      <View className='console-actions'>
        <ActionButton className='category-save' busy={action.busy} busyText='正在保存…' onClick={submit}>
          {code ? '保存修改' : '新增类别'}
        </ActionButton>
      </View>
      {code ? <ReplyTemplatesCard category={code} /> : null}
    </>
  )
}

/** 新增或编辑类别: name, kind, limits in working hours, on/off (docs/console.md). */
export default function ConsoleCategoryPage() {
  const { params } = useRouter()
  return (
    <PageShell className='console-page console-category'>
      <StaffOnly roles={['district_admin']} back={Routes.consoleCategories}>
        <CategoryFormLoader code={params.code} />
      </StaffOnly>
    </PageShell>
  )
}
