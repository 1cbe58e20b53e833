import { useState } from 'react'
import { View, Text, Image } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { PLACE_KINDS, PLACE_KIND_NAMES, PlaceLimits, type CoordSystem, type PlaceKind, type PlaceQrPlatform, type PlaceView } from '@palm/shared'
import { PlaceMap } from '../../../components/map'
import { imageAlt } from '../components/image-alt'
import { PageShell } from '../../../components/page-shell'
import { ActionButton } from '../../../components/buttons'
import { Chips, FormNotice, SelectField, TextField } from '../../../components/fields'
import { StaffOnly } from '../../../components/access-cards'
import { StateView } from '../../../components/state-view'
import { useAction, useResource } from '../../../hooks/use-resource'
import { placesService, type PlaceCodeView } from '../../../services/places.service'
import { errorMessage } from '../../../services/show-error'
import { Routes } from '../../../utils/routes'
import { useGridChoice } from '../components/grid-choice'
import { saveDataUrlImage } from '../components/save-image'
import '../components/grid.scss'

const STAFF = ['grid_worker', 'community_staff', 'street_admin', 'district_admin'] as const
const KIND_CHOICES = PLACE_KINDS.map((k) => ({ value: k, label: PLACE_KIND_NAMES[k] }))
const PLATFORMS = [
  { value: 'h5' as const, label: '手机扫码（H5）' },
  { value: 'weapp' as const, label: '小程序码' }
]

interface NewPlace {
  name: string
  kind: PlaceKind | undefined
  address: string
  lat: string
  lng: string
  /** The system of lat/lng: wgs84 from GPS, the map's own when picked on the map (the server converts). */
  coordSystem: CoordSystem
}

const EMPTY: NewPlace = { name: '', kind: undefined, address: '', lat: '', lng: '', coordSystem: 'wgs84' }
const SYSTEM_NAMES: Record<CoordSystem, string> = { wgs84: 'WGS-84', gcj02: 'GCJ-02', bd09: 'BD-09' }

function NewPlaceForm({ grid, onCreated }: { grid: string | undefined; onCreated: (p: PlaceView) => void }) {
  const [form, setForm] = useState<NewPlace>(EMPTY)
  const [notice, setNotice] = useState<string>()
  const [mapOpen, setMapOpen] = useState(false)
  const save = useAction()
  const locate = useAction()
  const set = (patch: Partial<NewPlace>) => setForm((f) => ({ ...f, ...patch }))

  async function locateMe() {
    await locate.run(async () => {
      try {
        const pos = await Taro.getLocation({ type: 'wgs84' })
        set({ lat: pos.latitude.toFixed(6), lng: pos.longitude.toFixed(6), coordSystem: 'wgs84' })
      } catch {
        setNotice('没有获取到位置，请允许定位，或填写经纬度')
      }
    })
  }

  async function submit() {
    setNotice(undefined)
    const lat = Number(form.lat)
    const lng = Number(form.lng)
    if (!form.name.trim() || !form.kind || !form.lat || !form.lng || Number.isNaN(lat) || Number.isNaN(lng)) {
      setNotice('请填写名称、类型和位置')
      return
    }
    await save.run(async () => {
      try {
        const place = await placesService.create({
          name: form.name.trim(),
          kind: form.kind as PlaceKind,
          point: { lat, lng, coordSystem: form.coordSystem },
          ...(form.address.trim() ? { address: form.address.trim() } : {})
        })
        setForm(EMPTY)
        if (grid && place.grid.code !== grid) setNotice(`已建在 ${place.grid.name}（按位置确定）`)
        onCreated(place)
      } catch (err) {
        setNotice(errorMessage(err))
      }
    })
  }

  return (
    <View className='card new-place'>
      <View className='card-title'>新建地点</View>
      <FormNotice message={notice} />
      <TextField name='place-name' label='名称' required value={form.name} maxlength={PlaceLimits.nameMax} placeholder='如：绿地世纪城3号楼' onChange={(name) => set({ name })} />
      <SelectField name='place-kind' label='类型' required options={KIND_CHOICES} value={form.kind} onChange={(kind) => set({ kind })} />
      <TextField name='place-address' label='地址' value={form.address} maxlength={PlaceLimits.addressMax} placeholder='门牌、楼栋（选填）' onChange={(address) => set({ address })} />
      <TextField name='place-lat' label={`纬度（${SYSTEM_NAMES[form.coordSystem]}）`} required type='digit' value={form.lat} onChange={(lat) => set({ lat })} />
      <TextField name='place-lng' label={`经度（${SYSTEM_NAMES[form.coordSystem]}）`} required type='digit' value={form.lng} onChange={(lng) => set({ lng })} />
      <ActionButton kind='ghost' className='pick-on-map btn-block' onClick={() => setMapOpen((o) => !o)}>
        {mapOpen ? '收起地图' : '在地图上选点'}
      </ActionButton>
      {mapOpen ? (
        <PlaceMap
          label='在地图上选择地点位置'
          mode='pick'
          grids={grid ? { gridCodes: [grid] } : undefined}
          center={form.lat && form.lng ? { lat: Number(form.lat), lng: Number(form.lng), coordSystem: form.coordSystem } : undefined}
          onPick={(p) => set({ lat: p.lat.toFixed(6), lng: p.lng.toFixed(6), coordSystem: p.coordSystem })}
        />
      ) : null}
      <View className='btn-row'>
        <ActionButton kind='ghost' className='use-position' busy={locate.busy} busyText='正在定位…' onClick={() => void locateMe()}>
          使用当前位置
        </ActionButton>
        <ActionButton className='create-place' busy={save.busy} busyText='正在保存…' onClick={() => void submit()}>
          保存地点
        </ActionButton>
      </View>
    </View>
  )
}

function PlaceItem({ place, platform, onDeleted }: { place: PlaceView; platform: PlaceQrPlatform; onDeleted: () => void }) {
  const [code, setCode] = useState<PlaceCodeView>()
  const [error, setError] = useState<string>()
  const action = useAction()
  const show = () =>
    void action.run(async () => {
      setError(undefined)
      try {
        setCode(await placesService.code(place.id, platform))
      } catch (err) {
        setError(errorMessage(err))
      }
    })
  const remove = () =>
    void action.run(async () => {
      const answer = await Taro.showModal({ title: '删除地点', content: `删除“${place.name}”后，已张贴的二维码将无法再用于上报。确定删除吗？`, confirmText: '删除' })
      if (!answer.confirm) return
      try {
        await placesService.remove(place.id)
        onDeleted()
      } catch (err) {
        setError(errorMessage(err))
      }
    })
  return (
    <View className='place-item'>
      <Text className='place-name'>{place.name}</Text>
      <View className='muted'>
        {PLACE_KIND_NAMES[place.kind]} · {place.address ?? '无地址'} · 编号 {place.code}
      </View>
      <FormNotice message={error} />
      {code ? (
        <>
          <Image className='place-code-image' src={code.image} mode='aspectFit' {...imageAlt(`${place.name}的二维码`)} />
          <View className='muted'>有效期至 {code.expiresAt.slice(0, 10)}</View>
        </>
      ) : (
        <ActionButton kind='ghost' className='show-code' busy={action.busy} onClick={show}>
          显示二维码
        </ActionButton>
      )}
      <ActionButton kind='plain' className='delete-place' disabled={action.busy} onClick={remove}>
        删除地点
      </ActionButton>
    </View>
  )
}

/** 一码通: a staff member's places of one grid, a new place at a point, each place's code and the printable sheet. */
export default function PlacesPage() {
  const { grid, chooser } = useGridChoice()
  const [platform, setPlatform] = useState<PlaceQrPlatform>('h5')
  const [sheet, setSheet] = useState<string>()
  const [sheetError, setSheetError] = useState<string>()
  const sheetAction = useAction()
  const places = useResource(() => (grid ? placesService.list(grid) : Promise.resolve([])), { reloadOnShow: false, deps: [grid] })

  const makeSheet = () =>
    void sheetAction.run(async () => {
      if (!grid) return
      setSheetError(undefined)
      try {
        setSheet((await placesService.sheet(grid, platform)).image)
      } catch (err) {
        setSheetError(errorMessage(err))
      }
    })

  return (
    <PageShell className='places-page'>
      <StaffOnly roles={STAFF} back={Routes.gridPlaces()}>
        {chooser}
        <Chips
          options={PLATFORMS}
          value={platform}
          onChange={(p) => {
            setPlatform(p)
            setSheet(undefined)
          }}
          className='platform-choice'
        />
        <NewPlaceForm grid={grid} onCreated={() => void places.reload(true)} />
        <View className='card'>
          <View className='card-title'>本网格的地点</View>
          {places.data ? null : <StateView loading={places.loading} error={places.error} onRetry={() => void places.reload()} />}
          {places.data && places.data.length === 0 ? <View className='muted'>还没有地点，先新建一个。</View> : null}
          {(places.data ?? []).map((p) => (
            <PlaceItem key={`${p.id}-${platform}`} place={p} platform={platform} onDeleted={() => void places.reload(true)} />
          ))}
        </View>
        <View className='card'>
          <View className='card-title'>打印二维码</View>
          <View className='muted'>把本网格全部地点的二维码排成一张图，打印后张贴在楼栋、商铺和公共设施处。</View>
          <FormNotice message={sheetError} />
          <ActionButton className='make-sheet' busy={sheetAction.busy} busyText='正在生成…' onClick={makeSheet} disabled={!grid || !places.data?.length}>
            生成打印页
          </ActionButton>
          {sheet ? (
            <>
              <Image className='place-sheet-image' src={sheet} mode='widthFix' {...imageAlt('本网格地点二维码打印页')} />
              <ActionButton kind='ghost' className='save-sheet' onClick={() => void saveDataUrlImage(sheet, `places-${grid ?? ''}.png`)}>
                保存图片
              </ActionButton>
            </>
          ) : null}
        </View>
      </StaffOnly>
    </PageShell>
  )
}
