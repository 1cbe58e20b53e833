/**
 * H5 only: the File behind each blob: URL that Taro.chooseMedia handed out. Taro's H5 uploadFile
 * re-reads a blob: URL with XHR, which a strict Content-Security-Policy (connect-src 'self', as our
 * server sends) blocks — and the XHR then never settles. With the File at hand the API client
 * uploads it directly. In WeChat temp paths are real files and this map stays empty.
 */
const files = new Map<string, Blob>()

export function rememberLocalFile(path: string, file: unknown): void {
  if (typeof Blob !== 'undefined' && file instanceof Blob) files.set(path, file)
}

export function localFileFor(path: string): Blob | undefined {
  return files.get(path)
}
