import { View, Text } from '@tarojs/components'
import type { RoutingPreviewView } from '@palm/shared'
import { previewHeadline } from './console-format'

/** The replay's answer, shown before the save button: the headline, where the moved tickets go, a few of them. */
export function PreviewCard({ preview, action }: { preview: RoutingPreviewView; action: 'save' | 'delete' }) {
  const none = preview.changed === 0
  return (
    <View className={`card console-preview${none ? ' is-none' : ''}`} role='status' aria-live='polite'>
      <View className='console-preview-headline preview-headline'>{previewHeadline(preview)}</View>
      {preview.byTarget.map((b) => (
        <View key={b.target.label} className='console-preview-line'>
          <Text>{b.target.label}</Text>
          <Text>{`${b.count} 件`}</Text>
        </View>
      ))}
      {preview.samples.length > 0 ? (
        <View className='console-samples'>
          <View className='muted'>例如：</View>
          {preview.samples.slice(0, 5).map((s) => (
            <View key={s.ticketId} className='console-sample'>{`${s.number}：${s.before.label} → ${s.after.label}`}</View>
          ))}
        </View>
      ) : null}
      <View className='muted console-preview-foot'>{action === 'delete' ? '删除后，这个类别的新工单按位置分给网格。已有工单不变。' : '只影响保存之后的新工单，已有工单不变。'}</View>
    </View>
  )
}
