// A stand-in for API Gateway (HTTP API, payload v2) and the Lambda runtime, in a Node process of its
// own so that a test can kill it like AWS kills a sandbox. It reads the HTTP functions and routes from
// serverless.yml, and hands each request, as the API Gateway event AWS would build, to the compiled
// handler (build/<handler file>.js, loaded at its first invocation: the cold start).
//
//   LAMBDA_HOST_PORT=… LAMBDA_HOST_FUNCTIONS=contracts,signing [LAMBDA_HOST_TIMEOUT_MS=…] node test/support/lambda-host.cjs
//
// LAMBDA_HOST_FUNCTIONS: the functions served ('*' or unset: all); other routes answer 404 as API
// Gateway does when no function is behind them. Each invocation gets a context whose
// getRemainingTimeInMillis counts down to the function's timeout (serverless.yml, or
// LAMBDA_HOST_TIMEOUT_MS); at the deadline the runtime answers 504 and the process is killed with
// SIGKILL, as Lambda ends a timed-out sandbox. Prints `listening <port>` once it accepts requests.
'use strict'
const fs = require('node:fs')
const http = require('node:http')
const path = require('node:path')

const ROOT = path.resolve(__dirname, '../..')
const BUILD = path.join(ROOT, 'build')
// The event as the local server builds it (the API Gateway shape the handlers are written for).
const { httpEventOf } = require(path.join(BUILD, 'cloud-functions', 'runtime', 'http-event-of.js'))

/** The HTTP functions of serverless.yml: name, handler, timeout (s) and httpApi routes. */
function readFunctions() {
  const text = fs.readFileSync(path.join(ROOT, 'serverless.yml'), 'utf8')
  const lines = text.slice(text.indexOf('\nfunctions:\n') + 1).split('\n').slice(1)
  const defaultTimeout = Number(/\n {2}timeout: (\d+)/.exec(text.slice(text.indexOf('\nprovider:')))?.[1] ?? 6)
  const functions = []
  for (const line of lines) {
    if (/^\S/.test(line)) break
    const name = /^ {2}([A-Za-z0-9-]+):\s*$/.exec(line)
    if (name) functions.push({ name: name[1], handler: '', timeout: defaultTimeout, routes: [] })
    const fn = functions[functions.length - 1]
    if (!fn) continue
    const handler = /^ {4}handler: (\S+)/.exec(line)
    if (handler) fn.handler = handler[1]
    const timeout = /^ {4}timeout: (\d+)/.exec(line)
    if (timeout) fn.timeout = Number(timeout[1])
    const route = /httpApi: \{ method: '?([^',]+)'?, path: '?([^'\s]+?)'? \}/.exec(line)
    if (route) fn.routes.push({ method: route[1], segments: route[2].split('/').slice(1) })
  }
  return functions.filter((f) => f.routes.length > 0)
}

/** API Gateway's choice: the matching route with the most literal segments, a greedy {proxy+} last. */
function match(functions, method, rawPath) {
  const parts = rawPath.split('/').slice(1)
  let best
  for (const fn of functions) {
    for (const route of fn.routes) {
      if (route.method !== '*' && route.method !== method) continue
      let literal = 0
      let ok = true
      const greedy = route.segments[route.segments.length - 1] === '{proxy+}'
      const fixed = greedy ? route.segments.slice(0, -1) : route.segments
      if (greedy ? parts.length <= fixed.length : parts.length !== fixed.length) ok = false
      for (let i = 0; ok && i < fixed.length; i++) {
        if (/^\{.+\}$/.test(fixed[i])) continue
        if (fixed[i] !== parts[i]) ok = false
        else literal++
      }
      if (!ok) continue
      const score = literal * 2 + (greedy ? 0 : 1) + (route.method === '*' ? 0 : 0.5)
      if (!best || score > best.score) best = { fn, score }
    }
  }
  return best?.fn
}

const functions = readFunctions()
const served = (process.env.LAMBDA_HOST_FUNCTIONS ?? '*').split(',')
const handlers = new Map()
const handlerOf = (fn) => {
  if (!handlers.has(fn.name)) {
    const [file, exported] = [fn.handler.slice(0, fn.handler.lastIndexOf('.')), fn.handler.slice(fn.handler.lastIndexOf('.') + 1)]
    const modulePath = path.join(BUILD, `${file}.js`)
    if (!fs.existsSync(modulePath)) throw new Error(`${modulePath} is missing: npm run build:server`)
    handlers.set(fn.name, require(modulePath)[exported])
  }
  return handlers.get(fn.name)
}

const send = (res, status, headers, body) => {
  res.writeHead(status, headers)
  res.end(body)
}

const server = http.createServer((req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://host')
    const method = req.method ?? 'GET'
    const fn = match(functions, method, url.pathname)
    if (!fn || (!served.includes('*') && !served.includes(fn.name))) return send(res, 404, { 'content-type': 'application/json' }, JSON.stringify({ message: 'Not Found' }))
    const body = Buffer.concat(chunks)
    const event = httpEventOf(req, url, body)
    const now = event.requestContext.timeEpoch
    const timeoutMs = Number(process.env.LAMBDA_HOST_TIMEOUT_MS) || fn.timeout * 1000
    const deadline = now + timeoutMs
    const context = { functionName: fn.name, awsRequestId: event.requestContext.requestId, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) }
    const timer = setTimeout(() => {
      // The runtime ends the invocation and the sandbox with it: nothing after this point runs.
      res.writeHead(504, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ message: 'Endpoint request timed out' }), () => process.kill(process.pid, 'SIGKILL'))
      setTimeout(() => process.kill(process.pid, 'SIGKILL'), 50)
    }, timeoutMs)
    Promise.resolve()
      .then(() => handlerOf(fn)(event, context))
      .then(
        (result) => {
          clearTimeout(timer)
          const out = { ...(result.headers ?? {}) }
          if (result.cookies?.length) out['set-cookie'] = result.cookies
          send(res, result.statusCode ?? 200, out, result.body === undefined ? '' : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8'))
        },
        (error) => {
          clearTimeout(timer)
          process.stderr.write(`${fn.name}: ${error && error.stack ? error.stack : error}\n`)
          send(res, 502, { 'content-type': 'application/json' }, JSON.stringify({ message: 'Internal Server Error' }))
        },
      )
  })
})
server.keepAliveTimeout = 1000
server.listen(Number(process.env.LAMBDA_HOST_PORT ?? 0), '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`))
