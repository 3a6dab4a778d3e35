import http from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request a tap passed on, with the emulator's answer. */
export type TappedExchange = { method: string; path: string; headers: http.IncomingHttpHeaders; body: Buffer; status: number }

/**
 * A reverse proxy in front of an emulator (s3rver, DynamoDB Local): requests go through unchanged
 * (the Host header too, so SigV4 still holds). After each answer, `after(exchange)` runs *before*
 * the answer is passed back: a test kills the caller there, so the write happened and the caller
 * never learns it — a crash between two named steps.
 */
export async function startEmulatorTap(target: string): Promise<{ endpoint: string; after: (hook?: (x: TappedExchange) => Promise<void>) => void; stop: () => Promise<void> }> {
  const upstream = new URL(target)
  let hook: ((x: TappedExchange) => Promise<void>) | undefined
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        const parts: Buffer[] = []
        answer.on('data', (c: Buffer) => parts.push(c))
        answer.on('end', () => {
          const exchange = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, status: answer.statusCode ?? 0 }
          void (hook ? hook(exchange) : Promise.resolve()).then(() => {
            if (res.destroyed || req.socket.destroyed) return
            res.writeHead(answer.statusCode ?? 502, answer.headers)
            res.end(Buffer.concat(parts))
          })
        })
      })
      forward.on('error', () => res.destroy())
      forward.end(body)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    after: (h) => (hook = h),
    stop: () => new Promise<void>((r) => {
      server.closeAllConnections()
      server.close(() => r())
    }),
  }
}
