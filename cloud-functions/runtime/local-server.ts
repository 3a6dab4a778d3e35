import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { Container } from './container'
import { errorResponse, type HttpResult } from './http'
import { httpEventOf } from './http-event-of'
import { createRouter, type Route } from './router'
import { staticFileHeaders, withSecurityHeaders } from './security-headers'

export type LocalServer = { url: string; close: () => Promise<void> }

/**
 * One Node HTTP server that hosts every handler under `/api/…` (as API-Gateway-v2 events, the
 * same code Lambda runs) and serves the H5 build at `/`. Bodies over `config.maxBodyBytes` are
 * refused with 413 before they are read into memory.
 */
export async function startLocalServer(deps: Container, routes: Route[]): Promise<LocalServer> {
  const route = createRouter(routes)
  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      deps.logger.error({ err: error }, 'local server failure')
      if (!res.headersSent) send(res, errorResponse('INTERNAL'))
      else res.destroy()
    })
  })

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local')
    // A signing link from an SMS (`/s/<token>`) opens the H5 app's link page (hash router).
    const link = /^\/s\/([A-Za-z0-9_-]{22})$/.exec(url.pathname)
    if (link) {
      res.writeHead(302, { location: `/#/packages/signing/pages/link/index?token=${link[1]}`, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
      res.end()
      return
    }
    if (!url.pathname.startsWith('/api/') && url.pathname !== '/api') {
      serveStatic(deps.config.h5Dir, url.pathname, req, res)
      return
    }
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > deps.config.maxBodyBytes) {
      send(res, tooLarge(deps.config.maxBodyBytes), true)
      return
    }
    const body = await readBody(req, deps.config.maxBodyBytes)
    if (body === 'too-large') {
      send(res, tooLarge(deps.config.maxBodyBytes), true)
      return
    }
    const result = await route(httpEventOf(req, url, body), deps)
    send(res, result)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(deps.config.port, deps.config.host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${deps.config.host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function tooLarge(limit: number): HttpResult {
  return errorResponse('PAYLOAD_TOO_LARGE', `请求体超过 ${sizeLabel(limit)} 上限`, { maxBytes: limit })
}

/** A byte limit as people read it: "20 MB", or "512 KB" below a megabyte (not "0 MB"). */
function sizeLabel(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.floor(bytes / 1024 / 1024)} MB` : `${Math.max(1, Math.floor(bytes / 1024))} KB`
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) over = true
      else chunks.push(chunk)
    })
    req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function send(res: http.ServerResponse, result: HttpResult, closeConnection = false): void {
  result = withSecurityHeaders(result)
  const body = result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8')
  res.writeHead(result.statusCode, { ...result.headers, 'content-length': String(body.length), ...(closeConnection ? { connection: 'close' } : {}) })
  res.end(body)
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
}

function serveStatic(root: string, pathname: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.method === 'OPTIONS') {
    send(res, { statusCode: 204, headers: { allow: 'GET, HEAD, OPTIONS' }, body: '' })
    return
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const refused = errorResponse('METHOD_NOT_ALLOWED')
    send(res, { ...refused, headers: { ...refused.headers, allow: 'GET, HEAD, OPTIONS' } })
    return
  }
  let rel: string
  try {
    rel = decodeURIComponent(pathname)
  } catch {
    send(res, errorResponse('BAD_REQUEST', '路径编码不正确'))
    return
  }
  // A NUL or other control character can name no file (fs would throw on NUL): refused, not a 500.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(rel)) {
    send(res, errorResponse('BAD_REQUEST', '路径包含不允许的字符'))
    return
  }
  const file = path.resolve(root, `.${rel.endsWith('/') ? `${rel}index.html` : rel}`)
  if (file !== root && !file.startsWith(root + path.sep)) {
    send(res, errorResponse('NOT_FOUND'))
    return
  }
  fs.stat(file, (error, stat) => {
    if (error || !stat.isFile()) {
      if (rel === '/' || rel === '/index.html') {
        const page = '<!doctype html><meta charset="utf-8"><title>签约</title><p>H5 页面尚未构建：请运行 npm run build:h5（npm start 会自动构建）。</p>'
        res.writeHead(503, { ...staticFileHeaders(page), 'content-type': 'text/html; charset=utf-8' })
        res.end(page)
        return
      }
      send(res, errorResponse('NOT_FOUND', `文件不存在：${rel}`))
      return
    }
    const hashed = /\.[0-9a-f]{8}\.(js|css)$/.test(file)
    if (path.extname(file) === '.html') {
      // Pages are small: read whole, so the CSP can name their inline scripts by hash.
      fs.readFile(file, (readError, html) => {
        if (readError) {
          send(res, errorResponse('NOT_FOUND', `文件不存在：${rel}`))
          return
        }
        res.writeHead(200, { ...staticFileHeaders(html.toString('utf8')), 'content-type': TYPES['.html']!, 'content-length': String(html.length), 'cache-control': 'no-cache' })
        res.end(req.method === 'HEAD' ? undefined : html)
      })
      return
    }
    res.writeHead(200, {
      ...staticFileHeaders(),
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-length': String(stat.size),
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    })
    if (req.method === 'HEAD') res.end()
    else fs.createReadStream(file).pipe(res)
  })
}
