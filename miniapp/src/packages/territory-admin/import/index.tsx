import { useState } from 'react'
import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { TerritoryImportReport } from '@palm/shared'
import { PageShell } from '../../../components/page-shell'
import { FormNotice } from '../../../components/fields'
import { StaffOnly } from '../../../components/access-cards'
import { StateView } from '../../../components/state-view'
import { useAction } from '../../../hooks/use-resource'
import { isApiError } from '../../../services/api-error'
import { errorMessage } from '../../../services/show-error'
import { territoryAdminService } from '../../../services/territory-admin.service'
import { Routes } from '../../../utils/routes'
import { FileChooser } from '../components/file-chooser'
import { importBodyOf, type ChosenFile } from '../components/pick-files'
import { MAX_MB } from '../components/report-format'
import { ReportCard } from '../components/report-card'
import { ActionButton } from '../../../components/buttons'
import '../components/territory-admin.scss'

/** What the page says for each refusal the server can answer with (clients branch on codes). */
function refusalMessage(err: unknown): string {
  if (!isApiError(err)) return errorMessage(err)
  switch (err.code) {
    case 'payload_too_large':
      return `文件超过 ${MAX_MB} MB，请分街道导入或简化边界`
    case 'unsupported_coordinate_system':
      return '文件须在顶层声明坐标系："coordinateSystem": "WGS-84"（或 "GCJ-02"、"BD-09"，导入时转换为 WGS-84）'
    case 'territory_file_invalid':
      return '文件不是辖区 GeoJSON：须为 FeatureCollection，每个要素的 properties 含 level、code、name、parentCode'
    case 'forbidden':
      return '只有区综治中心管理员可以导入辖区'
    default:
      return errorMessage(err)
  }
}

function TerritoryImport() {
  const [files, setFiles] = useState<ChosenFile[]>([])
  const [checked, setChecked] = useState<TerritoryImportReport>()
  const [result, setResult] = useState<TerritoryImportReport>()
  const [problem, setProblem] = useState<string>()
  const check = useAction()
  const write = useAction()
  const exporting = useAction()

  function handleChosen(chosen: ChosenFile[]) {
    setFiles(chosen)
    setChecked(undefined)
    setResult(undefined)
    setProblem(undefined)
  }

  async function dryRun(): Promise<TerritoryImportReport | undefined> {
    const built = importBodyOf(files)
    if ('error' in built) {
      setProblem(built.error)
      return undefined
    }
    setProblem(undefined)
    try {
      const report = await territoryAdminService.importTerritory(built.body, true)
      setChecked(report)
      return report
    } catch (err) {
      setChecked(undefined)
      setProblem(refusalMessage(err))
      return undefined
    }
  }

  async function handleImport() {
    const built = importBodyOf(files)
    if (!checked?.valid || 'error' in built) return
    try {
      setResult(await territoryAdminService.importTerritory(built.body, false))
      void Taro.showToast({ title: '已导入', icon: 'success' })
    } catch (err) {
      if (isApiError(err) && err.code === 'territory_invalid') {
        await dryRun()
        setProblem('导入时发现新问题（例如有新的工单用到了要删除的网格），请看下面的检查结果')
      } else setProblem(refusalMessage(err))
    }
  }

  function handleExport() {
    void exporting.run(async () => {
      try {
        const name = await territoryAdminService.downloadExport()
        void Taro.showToast({ title: `已导出 ${name}`, icon: 'none' })
      } catch (err) {
        setProblem(refusalMessage(err))
      }
    })
  }

  return (
    <View className='territory-import'>
      <View className='card'>
        <View className='card-title' role='heading' aria-level={2}>
          导入辖区
        </View>
        <View className='muted territory-help'>
          GeoJSON FeatureCollection：每个要素的 properties 含 level（street / community / grid）、code、name、parentCode；顶层声明坐标系
          coordinateSystem。先检查，检查通过后才能导入；已有工单的网格不会被删除或改归属。
        </View>
        <FileChooser files={files} onChosen={handleChosen} onError={setProblem} />
        <FormNotice message={problem} className='territory-problem' />
        <View className='btn-row'>
          <ActionButton className='territory-check' busy={check.busy} busyText='正在检查…' disabled={files.length === 0} onClick={() => void check.run(dryRun)}>
            检查文件
          </ActionButton>
          <ActionButton className='territory-write' busy={write.busy} busyText='正在导入…' disabled={!checked?.valid || Boolean(result)} onClick={() => void write.run(handleImport)}>
            导入
          </ActionButton>
        </View>
      </View>
      {check.busy ? <StateView loading /> : null}
      {!check.busy && !checked && !result && files.length === 0 ? <StateView empty emptyText='尚未选择文件' /> : null}
      {result ? <ReportCard report={result} title='导入结果' /> : checked && !check.busy ? <ReportCard report={checked} title='检查结果' /> : null}
      <View className='card'>
        <View className='card-title' role='heading' aria-level={2}>
          导出
        </View>
        <View className='muted'>现有辖区导出为同一格式（WGS-84），可修改后再导入。</View>
        <ActionButton kind='ghost' className='territory-export' busy={exporting.busy} busyText='正在导出…' onClick={handleExport}>
          导出当前辖区（GeoJSON）
        </ActionButton>
      </View>
    </View>
  )
}

/** 辖区导入: the district centre loads streets, communities and grids from GeoJSON (docs/territory-import.md). */
export default function TerritoryImportPage() {
  return (
    <PageShell className='admin-page territory-admin-page'>
      <StaffOnly roles={['district_admin']} back={Routes.territoryImport}>
        <TerritoryImport />
      </StaffOnly>
    </PageShell>
  )
}
