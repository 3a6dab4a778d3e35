import { ConfigError } from './config'

/** One entry of `ESIGN_SSM_PARAMETERS`: the variable it fills and the parameter it is read from. */
export type SsmSecretSpec = { env: string; name: string; optional: boolean }

const ENTRY = /^([A-Z][A-Z0-9_]*)=(\??)(\/[A-Za-z0-9_.\-/]+)$/

/**
 * Parse `ESIGN_SSM_PARAMETERS`: comma-separated `VARIABLE=/parameter/name` pairs; `VARIABLE=?/name`
 * marks a parameter that may be absent (the variable then stays unset).
 *
 * @example
 * parseSsmParameters('ESIGN_SESSION_SECRET=/qianyue/prod/session-secret,ESIGN_WECHAT_APP_SECRET=?/qianyue/prod/wechat-app-secret')
 */
export function parseSsmParameters(spec: string): SsmSecretSpec[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = ENTRY.exec(entry)
      if (!m) throw new ConfigError(`ESIGN_SSM_PARAMETERS: "${entry}" is not VARIABLE=/parameter/name (or VARIABLE=?/parameter/name)`)
      return { env: m[1]!, name: m[3]!, optional: m[2] === '?' }
    })
}

/** What {@link loadSsmSecrets} needs of an SSM client: GetParameters (the SDK's `send` with the command). */
export type SsmGetParameters = (names: string[]) => Promise<{ values: Map<string, string>; invalid: string[] }>

/**
 * The secrets `env.ESIGN_SSM_PARAMETERS` names, read from SSM Parameter Store (`GetParameters`,
 * `WithDecryption`, ten names per call), as variables to lay over the environment before the
 * configuration is parsed. Called once per process (the Lambda cold start, runtime/bootstrap.ts).
 * A missing required parameter is a {@link ConfigError} naming it; values are never logged or put
 * in an error.
 */
export async function loadSsmSecrets(env: Record<string, string | undefined>, getParameters?: SsmGetParameters): Promise<Record<string, string>> {
  const spec = env.ESIGN_SSM_PARAMETERS
  if (!spec) return {}
  const wanted = parseSsmParameters(spec)
  if (wanted.length === 0) return {}
  const get = getParameters ?? (await sdkGetParameters(env))
  const names = [...new Set(wanted.map((w) => w.name))]
  const values = new Map<string, string>()
  const invalid = new Set<string>()
  for (let i = 0; i < names.length; i += 10) {
    const page = await get(names.slice(i, i + 10))
    for (const [k, v] of page.values) values.set(k, v)
    for (const n of page.invalid) invalid.add(n)
  }
  const out: Record<string, string> = {}
  const missing: string[] = []
  for (const w of wanted) {
    const value = values.get(w.name)
    if (value !== undefined) out[w.env] = value
    else if (!w.optional) missing.push(`${w.name} (${w.env}${invalid.has(w.name) ? '' : ', not returned'})`)
  }
  if (missing.length) throw new ConfigError(`SSM parameters missing: ${missing.join(', ')}`)
  return out
}

/** GetParameters through @aws-sdk/client-ssm (loaded only when parameters are named), at `ESIGN_SSM_ENDPOINT` if set. */
async function sdkGetParameters(env: Record<string, string | undefined>): Promise<SsmGetParameters> {
  const { SSMClient, GetParametersCommand } = await import('../adapters/aws/sdk/client-ssm')
  const client = new SSMClient({ region: env.AWS_REGION || 'us-east-1', ...(env.ESIGN_SSM_ENDPOINT ? { endpoint: env.ESIGN_SSM_ENDPOINT } : {}) })
  return async (names) => {
    let out
    try {
      out = await client.send(new GetParametersCommand({ Names: names, WithDecryption: true }))
    } catch (e) {
      throw new ConfigError(`SSM GetParameters failed for ${names.join(', ')}${e instanceof Error ? `: ${e.name}` : ''}`)
    }
    const values = new Map<string, string>()
    for (const p of out.Parameters ?? []) if (p.Name !== undefined && p.Value !== undefined) values.set(p.Name, p.Value)
    return { values, invalid: out.InvalidParameters ?? [] }
  }
}
