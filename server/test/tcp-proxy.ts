import net from 'node:net'

/**
 * A loopback TCP proxy in front of a real server, so a test can cut the database off (and bring it
 * back) without stopping the server other suites use.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>()
  let server: net.Server | undefined
  let port = 0

  const listen = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host)
        for (const s of [client, upstream]) {
          sockets.add(s)
          s.on('close', () => sockets.delete(s))
          s.on('error', () => s.destroy())
        }
        client.pipe(upstream).pipe(client)
      })
      server.listen(port, '127.0.0.1', () => {
        port = (server?.address() as net.AddressInfo).port
        resolve()
      })
    })

  await listen()
  return {
    get port() {
      return port
    },
    /** Refuses new connections and drops the open ones, as a crashed database server would. */
    cut: async () => {
      await new Promise<void>((resolve) => {
        if (!server) return resolve()
        server.close(() => resolve())
        for (const s of sockets) s.destroy()
      })
      server = undefined
    },
    /** Listens again on the same port. */
    restore: listen,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
    }
  }
}
