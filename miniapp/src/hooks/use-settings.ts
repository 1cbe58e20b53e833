import { useEffect, useState } from 'react'
import { getSettings, onSettingsChange, type Settings } from '../services/settings'

/** The current settings, updated live when 长辈模式 is switched anywhere in the app. */
export function useSettings(): Settings {
  const [settings, setSettings] = useState<Settings>(getSettings)
  useEffect(() => onSettingsChange(setSettings), [])
  return settings
}
