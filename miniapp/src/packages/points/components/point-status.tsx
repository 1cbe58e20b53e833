import type { TestingPointView } from '@palm/shared'
import { Tag } from '../../../components/facts'

/** 营业中 / 未到开放时间 / 暂停 / 已关闭, from the point's status and computed openNow. */
export function PointStatus({ point }: { point: Pick<TestingPointView, 'status' | 'openNow'> }) {
  if (point.status === 'closed') return <Tag className='point-status'>已关闭</Tag>
  if (point.status === 'paused')
    return (
      <Tag tone='danger' className='point-status'>
        暂停开放
      </Tag>
    )
  return point.openNow ? (
    <Tag tone='ok' className='point-status'>
      营业中
    </Tag>
  ) : (
    <Tag tone='warn' className='point-status'>
      未到开放时间
    </Tag>
  )
}
