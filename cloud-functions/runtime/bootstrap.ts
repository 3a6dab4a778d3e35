import type { Context } from 'aws-lambda'
import { loadConfig } from './config'
import { createContainer, type Container } from './container'
import { createLogger } from './logger'
import { createRouter, type Route } from './router'
import { loadSsmSecrets } from './ssm-secrets'
import type { HttpEvent, HttpResult } from './http'
import { PRODUCT_VERSION } from './version'

let containerPromise: Promise<Container> | undefined

/**
 * The process's container, built once from `process.env` (the Lambda cold start), with the secrets
 * `ESIGN_SSM_PARAMETERS` names read from SSM Parameter Store laid over it (runtime/ssm-secrets.ts).
 * A failed start is forgotten, so the next invocation tries again.
 */
export function getContainer(): Promise<Container> {
  containerPromise ??= (async () => {
    const secrets = await loadSsmSecrets(process.env)
    const config = loadConfig({ ...process.env, ...secrets }, process.cwd())
    const logger = createLogger({ level: config.logLevel })
    return createContainer(config, logger, PRODUCT_VERSION)
  })()
  containerPromise.catch(() => (containerPromise = undefined))
  return containerPromise
}

/**
 * A Lambda handler (API Gateway HTTP API, payload v2) serving `routes`; the Lambda context's
 * `getRemainingTimeInMillis` tells the routes when the runtime will end the invocation.
 */
export function lambdaHandler(routes: Route[]): (event: HttpEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<HttpResult> {
  const route = createRouter(routes)
  return async (event, context) => route(event, await getContainer(), context?.getRemainingTimeInMillis ? { remainingTimeMs: () => context.getRemainingTimeInMillis() } : undefined)
}
