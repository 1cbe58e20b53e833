import { useState } from 'react'
import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { RegisterVolunteerSchema, VolunteerLimits } from '@palm/shared'
import { CommunityPicker } from '../../../components/community-picker'
import { Field } from '../../../components/field'
import { PageShell } from '../../../components/page-shell'
import { ActionButton } from '../../../components/buttons'
import { SignInCard } from '../../../components/access-cards'
import { TextField, scrollToFirstError } from '../../../components/fields'
import { useAction } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { isApiError } from '../../../services/api-error'
import { fieldByHead, fieldErrorsFrom, schemaIssues, type PathIssue } from '../../../services/form-errors'
import { volunteersService } from '../../../services/volunteers.service'
import { replacePage, Routes } from '../../../utils/routes'
import { showError } from '../../../services/show-error'

const FIELDS = ['name', 'phone', 'communityCode', 'skills'] as const
type RegisterField = (typeof FIELDS)[number]
const fieldOf = fieldByHead(FIELDS)
const MESSAGES = {
  name: (code: string) => (code === 'too_big' ? `姓名不能超过 ${VolunteerLimits.nameMax} 个字` : '请填写真实姓名'),
  phone: '请输入 11 位手机号码',
  communityCode: '请选择所在社区',
  skills: `特长最多 ${VolunteerLimits.maxSkills} 项，每项不超过 ${VolunteerLimits.skillMax} 个字`
}

/** Registration with the alliance (name, mobile, community, skills); the community's staff approve it. */
export default function RegisterPage() {
  const session = useSession()
  const [name, setName] = useState(session?.user.displayName ?? '')
  const [phone, setPhone] = useState('')
  const [communityCode, setCommunityCode] = useState('')
  const [skills, setSkills] = useState('')
  const [errors, setErrors] = useState<Partial<Record<RegisterField, string>>>({})
  const action = useAction()

  if (!session)
    return (
      <PageShell>
        <SignInCard reason='注册志愿者需要先登录。' back={Routes.allianceRegister} />
      </PageShell>
    )
  const show = (issues: readonly PathIssue[]) => fieldErrorsFrom(issues, fieldOf, MESSAGES)

  async function handleSubmit() {
    const input = {
      name,
      phone,
      communityCode,
      skills: skills
        .split(/[,，、\s]+/)
        .map((s) => s.trim())
        .filter(Boolean)
    }
    const found = show(schemaIssues(RegisterVolunteerSchema, input))
    setErrors(found)
    if (Object.keys(found).length > 0) {
      scrollToFirstError()
      return
    }
    await action.run(async () => {
      try {
        await volunteersService.register(input)
        await Taro.showModal({ title: '注册已提交', content: '社区工作人员审核通过后，您就可以报名参加活动了。', showCancel: false, confirmText: '好的' })
        replacePage(Routes.alliance)
      } catch (err) {
        const fieldErrors = isApiError(err) ? show(err.issues) : {}
        if (Object.keys(fieldErrors).length > 0) setErrors(fieldErrors)
        else void showError(err)
      }
    })
  }

  const clear = (f: RegisterField) => setErrors((e) => ({ ...e, [f]: undefined }))
  return (
    <PageShell className='alliance-register'>
      <View className='card'>
        <TextField
          name='name'
          label='姓名'
          required
          maxlength={VolunteerLimits.nameMax}
          value={name}
          error={errors.name}
          onChange={(v) => {
            setName(v)
            clear('name')
          }}
        />
        <TextField
          name='phone'
          label='手机号码'
          required
          type='number'
          maxlength={11}
          placeholder='仅社区工作人员可见，对外隐去中间四位'
          value={phone}
          error={errors.phone}
          onChange={(v) => {
            setPhone(v)
            clear('phone')
          }}
        />
        <Field name='communityCode' label='所在社区' required error={errors.communityCode}>
          <CommunityPicker
            depth='community'
            onChange={(pick) => {
              setCommunityCode(pick?.community?.code ?? '')
              clear('communityCode')
            }}
          />
        </Field>
        <TextField
          name='skills'
          label='特长（选填）'
          placeholder='如：普通话、方言、摄影，用逗号分隔'
          maxlength={120}
          value={skills}
          error={errors.skills}
          onChange={(v) => {
            setSkills(v)
            clear('skills')
          }}
        />
      </View>
      <ActionButton className='btn-block register-submit' busy={action.busy} busyText='正在提交…' onClick={() => void handleSubmit()}>
        提交注册
      </ActionButton>
    </PageShell>
  )
}
