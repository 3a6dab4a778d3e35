import { loadConfig } from './config'
import { createContainer, type Container } from './container'
import { createLogger } from './logger'
import { createRouter, type Route } from './router'
import type { HttpEvent, HttpResult } from './http'
import { PRODUCT_VERSION } from './version'

let containerPromise: Promise<Container> | undefined

/** The process's container, built once from `process.env` (the Lambda cold start). */
export function getContainer(): Promise<Container> {
  containerPromise ??= (async () => {
    const config = loadConfig(process.env, process.cwd())
    const logger = createLogger({ level: config.logLevel })
    return createContainer(config, logger, PRODUCT_VERSION)
  })()
  return containerPromise
}

/** A Lambda handler (API Gateway HTTP API, payload v2) serving `routes`. */
export function lambdaHandler(routes: Route[]): (event: HttpEvent) => Promise<HttpResult> {
  const route = createRouter(routes)
  return async (event) => route(event, await getContainer())
}
