import { useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { CreateReplyTemplateSchema, REPLY_TEMPLATE_PLACEHOLDERS, ReplyTemplateLimits, type ReplyTemplateView } from '@palm/shared'
import { StateView } from '../../../components/state-view'
import { useAction, useResource } from '../../../hooks/use-resource'
import { isApiError } from '../../../services/api-error'
import { consoleService } from '../../../services/console.service'
import { fieldByHead, fieldErrorsFrom, schemaIssues, type PathIssue } from '../../../services/form-errors'
import { showError } from '../../../services/show-error'
import { ActionButton } from '../../../components/buttons'
import { TextField } from '../../../components/fields'

const PLACEHOLDERS = Object.keys(REPLY_TEMPLATE_PLACEHOLDERS)
  .map((p) => `{${p}}`)
  .join(' ')
const FIELDS = ['title', 'body'] as const
const fieldOf = fieldByHead(FIELDS)
const MESSAGES = {
  title: `请填写标题（不超过 ${ReplyTemplateLimits.titleMax} 字）`,
  body: (code: string) => (code === 'unknown_placeholder' || code === 'custom' ? `只能使用这些占位符：${PLACEHOLDERS}` : `请填写内容（不超过 ${ReplyTemplateLimits.bodyMax} 字）`)
}

/**
 * 常用语 of one category (docs/handling.md "Reply templates"): handlers pick them in the reply and
 * resolution forms; the district admin adds, edits and removes them here. Placeholders in braces are
 * filled from the ticket; any other brace is refused before sending, as the server would.
 */
export function ReplyTemplatesCard({ category }: { category: string }) {
  const list = useResource(() => consoleService.listReplyTemplates(category), { reloadOnShow: false })
  const [editing, setEditing] = useState<ReplyTemplateView | null>(null)
  const [title, setTitle] = useState('')
  const [body, setBody] = useState('')
  const [errors, setErrors] = useState<Partial<Record<(typeof FIELDS)[number], string>>>({})
  const action = useAction()
  const show = (issues: readonly PathIssue[]) => fieldErrorsFrom(issues, fieldOf, MESSAGES)

  function startEdit(t: ReplyTemplateView | null) {
    setEditing(t)
    setTitle(t?.title ?? '')
    setBody(t?.body ?? '')
    setErrors({})
  }

  async function handleSave() {
    const found = show(schemaIssues(CreateReplyTemplateSchema, { category, title, body }))
    setErrors(found)
    if (Object.keys(found).length > 0) return
    await action.run(async () => {
      try {
        if (editing) await consoleService.updateReplyTemplate(editing.id, { title, body })
        else await consoleService.createReplyTemplate({ category, title, body })
        void Taro.showToast({ title: '已保存', icon: 'success' })
        startEdit(null)
        await list.reload(true)
      } catch (err) {
        if (isApiError(err) && err.issues.length > 0) setErrors(show(err.issues))
        else void showError(err)
      }
    })
  }

  async function handleDelete(t: ReplyTemplateView) {
    const ok = await Taro.showModal({ title: '删除常用语', content: `删除“${t.title}”？办理人员将不能再选用它。`, confirmText: '删除', cancelText: '取消' })
    if (!ok.confirm) return
    await action.run(async () => {
      try {
        await consoleService.deleteReplyTemplate(t.id)
        if (editing?.id === t.id) startEdit(null)
        await list.reload(true)
      } catch (err) {
        void showError(err)
      }
    })
  }

  return (
    <View className='card reply-templates-card'>
      <View className='card-title' role='heading' aria-level={2}>
        常用语
      </View>
      <View className='muted'>办理人员回复和办结时可选用。可用占位符：{PLACEHOLDERS}</View>
      {list.data ? null : <StateView loading={list.loading} error={list.error} onRetry={() => void list.reload()} />}
      {list.data && list.data.length === 0 ? <View className='muted reply-templates-empty'>这个类别还没有常用语。</View> : null}
      {(list.data ?? []).map((t) => (
        <View key={t.id} className='console-row reply-template-row'>
          <View className='console-row-text'>
            <Text className='console-row-title'>{t.title}</Text>
            <Text className='muted'>{t.body}</Text>
          </View>
          <ActionButton kind='ghost' label={`编辑常用语 ${t.title}`} onClick={() => startEdit(t)}>
            编辑
          </ActionButton>
          <ActionButton kind='danger' label={`删除常用语 ${t.title}`} busy={action.busy} onClick={() => void handleDelete(t)}>
            删除
          </ActionButton>
        </View>
      ))}
      <TextField name='title' label={editing ? '修改标题' : '新常用语标题'} maxlength={ReplyTemplateLimits.titleMax} placeholder='如：已清运' value={title} error={errors.title} onChange={setTitle} />
      <TextField
        name='body'
        label='内容'
        maxlength={ReplyTemplateLimits.bodyMax}
        placeholder='如：您反映的{问题类别}问题（{工单编号}）已处理完毕。'
        value={body}
        error={errors.body}
        onChange={setBody}
        onSubmit={() => void handleSave()}
      />
      <View className='console-actions'>
        <ActionButton className='reply-template-save' busy={action.busy} busyText='正在保存…' onClick={() => void handleSave()}>
          {editing ? '保存常用语' : '添加常用语'}
        </ActionButton>
        {editing ? (
          <ActionButton kind='ghost' onClick={() => startEdit(null)}>
            取消修改
          </ActionButton>
        ) : null}
      </View>
    </View>
  )
}
