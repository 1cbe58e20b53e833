import { useRef, useState } from 'react'
import type { DraftPhoto } from '../../../services/report-draft'
import { ticketsService } from '../../../services/tickets.service'

/**
 * Photos of a tip: each uploads as soon as it is picked (POST /api/uploads); `ensureUploaded`
 * retries the ones that failed and resolves with every upload id, in order, before the tip is sent.
 */
export function usePhotos() {
  const [photos, setPhotos] = useState<DraftPhoto[]>([])
  const [uploading, setUploading] = useState<string[]>([])
  const ref = useRef<DraftPhoto[]>([])
  const jobs = useRef(new Map<string, Promise<void>>())

  const commit = (next: DraftPhoto[]) => {
    ref.current = next
    setPhotos(next)
  }

  function upload(localPath: string): Promise<void> {
    const running = jobs.current.get(localPath)
    if (running) return running
    const job = (async () => {
      setUploading((u) => [...u, localPath])
      try {
        const { id } = await ticketsService.uploadPhoto(localPath)
        commit(ref.current.map((p) => (p.localPath === localPath ? { ...p, uploadId: id } : p)))
      } finally {
        jobs.current.delete(localPath)
        setUploading((u) => u.filter((p) => p !== localPath))
      }
    })()
    jobs.current.set(localPath, job)
    return job
  }

  function add(paths: string[]) {
    const fresh = paths.filter((p) => !ref.current.some((x) => x.localPath === p)).map((localPath) => ({ localPath }))
    commit([...ref.current, ...fresh])
    for (const p of fresh) upload(p.localPath).catch(() => undefined)
  }

  function remove(localPath: string) {
    commit(ref.current.filter((p) => p.localPath !== localPath))
  }

  async function ensureUploaded(): Promise<string[]> {
    for (const p of ref.current) if (!p.uploadId) await upload(p.localPath)
    return ref.current.flatMap((p) => (p.uploadId ? [p.uploadId] : []))
  }

  return { photos, uploading, add, remove, ensureUploaded }
}
