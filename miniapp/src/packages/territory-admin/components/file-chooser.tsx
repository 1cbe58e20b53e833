import { View, Text } from '@tarojs/components'
import { TerritoryImportLimits } from '@palm/shared'
import { isH5 } from '../../../utils/platform'
import { chooseChatFiles, readInputFiles, type ChosenFile } from './pick-files'
import { ActionButton } from '../../../components/buttons'

const INPUT_ID = 'territory-file'
export const FILE_LABEL = '选择辖区文件（GeoJSON）'

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`
}

/**
 * H5: a native file input (keyboard operable, named by its label, reachable by Playwright's
 * setInputFiles); WeChat: files sent to a chat, through wx.chooseMessageFile.
 */
export function FileChooser({ files, onChosen, onError }: { files: readonly ChosenFile[]; onChosen: (files: ChosenFile[]) => void; onError: (message: string) => void }) {
  function handleWeapp() {
    chooseChatFiles()
      .then(onChosen)
      .catch((err: { errMsg?: string }) => {
        if (!/cancel/i.test(err.errMsg ?? '')) onError('没能读取所选文件，请重试')
      })
  }
  return (
    <View className='field territory-chooser'>
      {isH5 ? (
        <>
          <label className='field-label' htmlFor={INPUT_ID}>
            {FILE_LABEL}
          </label>
          <input
            id={INPUT_ID}
            className='territory-file-input'
            type='file'
            accept='.geojson,.json,application/geo+json,application/json'
            multiple
            onChange={(e) => {
              readInputFiles(e.currentTarget.files)
                .then(onChosen)
                .catch(() => onError('没能读取所选文件，请重试'))
            }}
          />
        </>
      ) : (
        <ActionButton kind='ghost' className='territory-choose' onClick={handleWeapp}>
          从聊天中选择文件
        </ActionButton>
      )}
      <View className='field-hint'>{`一个文件含三级，或街道、社区、网格各一个文件（最多 ${TerritoryImportLimits.maxFiles} 个，合计不超过 ${TerritoryImportLimits.maxBytes / 1024 / 1024} MB）`}</View>
      {files.length > 0 ? (
        <View className='territory-chosen' role='list' aria-label='已选文件'>
          {files.map((f) => (
            <View key={f.name} role='listitem' className='territory-chosen-file'>
              <Text>{f.name}</Text>
              <Text className='muted'>{`　${formatSize(f.size)}`}</Text>
            </View>
          ))}
        </View>
      ) : null}
    </View>
  )
}
