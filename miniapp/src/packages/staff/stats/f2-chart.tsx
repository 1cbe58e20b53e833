import { useEffect, useRef } from 'react'
import { Canvas as TaroCanvas, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Axis, Canvas, Chart, Interval, Line, Point, jsx } from '@antv/f2'
import { isWeapp } from '../../../utils/platform'

/**
 * A chart drawn by AntV F2 (a mobile chart library that draws on a 2D canvas in WeChat and in the
 * browser). It lives in this sub-package only, so the library stays out of the first page's bundle
 * (docs/dashboards.md "Charts"). The canvas is a picture to screen readers: `label` names it, and the
 * same figures are in the table next to it.
 */
export interface ChartDatum {
  x: string
  y: number
  /** The series, when several share the chart. */
  series?: string
}

interface Props {
  id: string
  kind: 'bar' | 'hbar' | 'line'
  data: ChartDatum[]
  height: number
  label: string
  /** Axis value format: counts or percentages (0–1 shown as %). */
  percent?: boolean
}

const COLORS = ['#c8102e', '#1f6feb', '#2da44e', '#bf8700']

/** F2's element factory; its published typings reject its own chart components as element types, so the call is typed here. */
const h = jsx as unknown as (type: unknown, props: Record<string, unknown>) => ReturnType<typeof jsx>

/** The 2D context of the canvas: the node from a selector query in WeChat, the inner <canvas> in H5. */
function canvasContext(id: string, width: number, height: number, ratio: number): Promise<CanvasRenderingContext2D | null> {
  if (!isWeapp) {
    // Taro's H5 canvas is a custom element that draws its inner <canvas> a moment after mounting: wait for it (up to 2 s).
    return new Promise((resolve) => {
      let tries = 0
      const find = () => {
        const el = document.querySelector<HTMLCanvasElement>(`canvas[canvas-id="${id}"]`) ?? document.querySelector<HTMLCanvasElement>(`#${id} canvas`)
        if (!el) {
          if (++tries > 40) resolve(null)
          else setTimeout(find, 50)
          return
        }
        el.width = width * ratio
        el.height = height * ratio
        el.style.width = `${width}px`
        el.style.height = `${height}px`
        resolve(el.getContext('2d'))
      }
      find()
    })
  }
  return new Promise((resolve) => {
    Taro.createSelectorQuery()
      .select(`#${id}`)
      .fields({ node: true, size: true })
      .exec((res: Array<{ node?: { width: number; height: number; getContext: (t: '2d') => CanvasRenderingContext2D } } | null>) => {
        const node = res[0]?.node
        if (!node) return resolve(null)
        node.width = width * ratio
        node.height = height * ratio
        resolve(node.getContext('2d'))
      })
  })
}

export function F2Chart({ id, kind, data, height, label, percent }: Props) {
  const chart = useRef<Canvas | null>(null)
  const width = Math.max(280, Math.min(720, Taro.getSystemInfoSync().windowWidth - 48))

  useEffect(() => {
    let cancelled = false
    const ratio = Taro.getSystemInfoSync().pixelRatio || 1
    void canvasContext(id, width, height, ratio).then(async (context) => {
      if (!context || cancelled) return
      const hasSeries = data.some((d) => d.series)
      const color = hasSeries ? { field: 'series', range: COLORS } : COLORS[0]
      // Counts are whole: ticks between them (1.5) are left unlabelled.
      const format = percent ? (v: number) => `${Math.round(v * 100)}%` : (v: number) => (Number.isInteger(v) ? String(v) : '')
      const geometry = kind === 'line' ? [h(Line, { x: 'x', y: 'y', color }), h(Point, { x: 'x', y: 'y', color })] : [h(Interval, { x: 'x', y: 'y', color, adjust: hasSeries ? 'dodge' : undefined })]
      const element = h(Chart, {
        data,
        coord: kind === 'hbar' ? { transposed: true } : undefined,
        scale: { x: kind === 'line' && data.length > 8 ? { tickCount: 6 } : {}, y: { min: 0, ...(percent ? { max: 1 } : { nice: true }), formatter: format } },
        children: [h(Axis, { field: 'x', style: { label: { fontSize: 10 } } }), h(Axis, { field: 'y', style: { label: { fontSize: 10 } } }), ...geometry]
      })
      const props = { context, pixelRatio: ratio, width, height, animate: false, children: element }
      if (chart.current) await chart.current.update(props)
      else {
        chart.current = new Canvas(props)
        await chart.current.render()
      }
    })
    return () => {
      cancelled = true
    }
  }, [id, kind, data, height, width, percent])

  useEffect(
    () => () => {
      chart.current?.destroy()
      chart.current = null
    },
    []
  )

  return (
    <View className='f2-chart' role='img' aria-label={label}>
      <TaroCanvas type='2d' id={id} canvasId={id} style={{ width: `${width}px`, height: `${height}px` }} />
    </View>
  )
}
