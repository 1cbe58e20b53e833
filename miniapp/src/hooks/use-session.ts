import { useEffect, useState } from 'react'
import { getSession, onSessionChange, type Session } from '../services/session'

/** The signed-in session (or undefined), updated on sign-in, refresh failure and sign-out. */
export function useSession(): Session | undefined {
  const [session, setSession] = useState<Session | undefined>(getSession)
  useEffect(() => onSessionChange(setSession), [])
  return session
}
