import { ToggleField } from '../../../components/fields'

/** 匿名举报: staff never see who sent the tip; the sender still follows it under 我的工单. */
export function AnonymousSwitch({ checked, onChange }: { checked: boolean; onChange: (v: boolean) => void }) {
  return <ToggleField name='anonymous' className='anonymous-row' label='匿名举报' hint='工作人员看不到您的身份；您仍可在“我的工单”查看进度' checked={checked} onChange={onChange} />
}
