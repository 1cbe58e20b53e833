import { useState } from 'react'
import { View, Text, Image, Button } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { GridWorkerCardView, MyGridView } from '@palm/shared'
import { imageAlt } from '../components/image-alt'
import { PageShell } from '../../../components/page-shell'
import { SignInCard } from '../../../components/access-cards'
import { StateView } from '../../../components/state-view'
import { useResource } from '../../../hooks/use-resource'
import { useSession } from '../../../hooks/use-session'
import { placesService } from '../../../services/places.service'
import { formatTime } from '../../../utils/format'
import { Routes } from '../../../utils/routes'
import '../components/grid.scss'

function call(phone: string): void {
  void Taro.makePhoneCall({ phoneNumber: phone }).catch(() => undefined)
}

function WorkerCard({ worker }: { worker: GridWorkerCardView }) {
  return (
    <View className='worker-card'>
      {worker.photoUrl ? (
        <Image className='worker-photo' src={worker.photoUrl} mode='aspectFill' {...imageAlt(`网格员${worker.displayName}的照片`)} />
      ) : (
        <View className='worker-initial' aria-hidden>
          {worker.displayName.slice(0, 1)}
        </View>
      )}
      <View className='worker-text'>
        <Text className='worker-name'>{worker.displayName}</Text>
        <Text className='muted'>{worker.phone ? (worker.phoneSource === 'work' ? `工作电话 ${worker.phone}` : `社区电话 ${worker.phone}`) : '暂无公开电话'}</Text>
      </View>
      {worker.phone ? (
        <Button
          className='btn btn-ghost worker-call'
          aria-label={`拨打网格员${worker.displayName}的${worker.phoneSource === 'work' ? '工作电话' : '社区电话'}`}
          onClick={() => call(worker.phone as string)}
        >
          拨打
        </Button>
      ) : null}
    </View>
  )
}

function GridDetails({ grid }: { grid: MyGridView }) {
  return (
    <>
      <View className='card grid-head'>
        <Text className='grid-name'>{grid.grid?.name}</Text>
        <View className='muted'>
          {grid.street?.name} {grid.community?.name} · 网格编号 {grid.grid?.code}
        </View>
        <View className='muted'>{grid.source === 'point' ? '按您现在的位置确定' : '按您最近一次上报的位置确定'}</View>
      </View>
      <View className='card'>
        <View className='card-title'>网格员</View>
        {grid.workers.length ? grid.workers.map((w) => <WorkerCard key={`${w.displayName}-${w.phone ?? ''}`} worker={w} />) : <View className='muted'>这个网格暂未配备网格员，请联系社区。</View>}
      </View>
      {grid.office ? (
        <View className='card community-office'>
          <View className='card-title'>社区办公</View>
          <View>{grid.office.name}</View>
          {grid.office.address ? <View className='muted'>地址：{grid.office.address}</View> : null}
          {grid.office.hours ? <View className='muted'>办公时间：{grid.office.hours}</View> : null}
          {grid.office.phone ? (
            <Button className='btn btn-ghost btn-block office-call' onClick={() => call(grid.office?.phone as string)}>
              拨打社区电话 {grid.office.phone}
            </Button>
          ) : null}
        </View>
      ) : null}
      <View className='card'>
        <View className='card-title'>本网格最近的办理回复</View>
        {grid.replies.length === 0 ? <View className='muted'>暂无公开的办理回复。</View> : null}
        {grid.replies.map((r) => (
          <View key={r.id} className='reply-item'>
            <Text className='reply-title'>{r.title}</Text>
            <View className='muted'>
              {r.categoryName} · {r.reporter.displayName} · {formatTime(r.resolvedAt)}
            </View>
            {r.reply ? <Text className='reply-text'>回复：{r.reply}</Text> : null}
          </View>
        ))}
      </View>
    </>
  )
}

/** 我的网格: the resident's grid, its workers (public numbers only), the community office, public replies. */
export default function MyGridPage() {
  const session = useSession()
  const [point, setPoint] = useState<{ lat: number; lng: number }>()
  const [locating, setLocating] = useState(false)
  const [locateError, setLocateError] = useState<string>()
  const grid = useResource(() => (session ? placesService.myGrid(point) : Promise.resolve(undefined)), { reloadOnShow: false, deps: [point?.lat, point?.lng, session?.user.id] })

  async function locateMe() {
    setLocating(true)
    setLocateError(undefined)
    try {
      const pos = await Taro.getLocation({ type: 'wgs84' })
      setPoint({ lat: pos.latitude, lng: pos.longitude })
    } catch {
      setLocateError('没有获取到位置，请在设置中允许定位后重试')
    } finally {
      setLocating(false)
    }
  }

  if (!session) {
    return (
      <PageShell className='my-grid'>
        <SignInCard reason='登录后可以查看您所在网格的网格员和社区电话。' back={Routes.myGrid} />
      </PageShell>
    )
  }
  const data = grid.data
  return (
    <PageShell className='my-grid'>
      {data ? null : <StateView loading={grid.loading} error={grid.error} onRetry={() => void grid.reload()} />}
      {data && !data.grid ? (
        <View className='card'>
          <View className='card-title'>还不知道您在哪个网格</View>
          <View className='muted'>您还没有带位置的上报。用现在的位置查找您所在的网格吧。</View>
        </View>
      ) : null}
      {data?.grid ? <GridDetails grid={data} /> : null}
      {locateError ? (
        <View className='notice' role='alert'>
          {locateError}
        </View>
      ) : null}
      {data ? (
        <Button className={`btn btn-primary btn-block locate-grid${locating ? ' btn-disabled' : ''}`} disabled={locating || undefined} onClick={() => void locateMe()}>
          {locating ? '正在定位…' : '用现在的位置查找网格'}
        </Button>
      ) : null}
    </PageShell>
  )
}
