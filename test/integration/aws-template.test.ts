import fs from 'node:fs'
import path from 'node:path'

/**
 * The CloudFormation template `osls package` generates (npm test packages before jest; one file:
 * `npm run package:aws` first): what issue 18 requires of the AWS deployment is in it.
 */
const ROOT = path.resolve(__dirname, '../..')
const TEMPLATE = path.join(ROOT, '.serverless', 'cloudformation-template-update-stack.json')

type Resource = { Type: string; Properties: Record<string, any> }
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown }

function template(): { Resources: Record<string, Resource> } {
  if (!fs.existsSync(TEMPLATE)) throw new Error(`${TEMPLATE} is missing: run "npm run package:aws" (npm test does it before jest)`)
  return JSON.parse(fs.readFileSync(TEMPLATE, 'utf8'))
}

const ofType = (type: string) => Object.entries(template().Resources).filter(([, r]) => r.Type === type)
const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v])

describe('the generated CloudFormation template', () => {
  it('documents bucket: versioning, Object Lock in governance mode, SSE-KMS, no public access, uploads expire', () => {
    const [[, bucket]] = ofType('AWS::S3::Bucket').filter(([id]) => id === 'DocumentsBucket')
    const p = bucket.Properties
    expect(p.VersioningConfiguration.Status).toBe('Enabled')
    expect(p.ObjectLockEnabled).toBe(true)
    expect(p.ObjectLockConfiguration.Rule.DefaultRetention.Mode).toBe('GOVERNANCE')
    expect(Number(p.ObjectLockConfiguration.Rule.DefaultRetention.Days)).toBeGreaterThan(0)
    expect(p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms')
    expect(p.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true })
    const uploads = p.LifecycleConfiguration.Rules.find((r: { Prefix?: string }) => r.Prefix === 'uploads/')
    expect(uploads).toMatchObject({ Status: 'Enabled', ExpirationInDays: 1 })
    expect(p.CorsConfiguration.CorsRules[0].AllowedMethods).toEqual(expect.arrayContaining(['PUT', 'POST']))
  })

  it('metadata table: on demand, point-in-time recovery, TTL, encrypted', () => {
    const tables = ofType('AWS::DynamoDB::Table')
    expect(tables).toHaveLength(1)
    const p = tables[0]![1].Properties
    expect(p.BillingMode).toBe('PAY_PER_REQUEST')
    expect(p.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled).toBe(true)
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true })
    expect(p.SSESpecification.SSEEnabled).toBe(true)
  })

  it('the jobs queue sends failures to a dead-letter queue that raises an alarm', () => {
    const queues = Object.fromEntries(ofType('AWS::SQS::Queue'))
    expect(queues.JobsQueue!.Properties.RedrivePolicy.deadLetterTargetArn).toEqual({ 'Fn::GetAtt': ['JobsDeadLetterQueue', 'Arn'] })
    expect(queues.JobsQueue!.Properties.RedrivePolicy.maxReceiveCount).toBeGreaterThan(0)
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties)
    expect(alarms.some((a) => JSON.stringify(a.Dimensions).includes('JobsDeadLetterQueue') && a.Threshold === 0)).toBe(true)
  })

  it('the CA, TSA and OCSP keys are asymmetric signing keys kept on stack deletion', () => {
    const keys = Object.fromEntries(ofType('AWS::KMS::Key'))
    for (const id of ['RootCaKey', 'IssuingCaKey', 'TsaKey', 'OcspKey']) {
      expect(keys[id]!.Properties.KeyUsage).toBe('SIGN_VERIFY')
      expect((template().Resources[id] as unknown as { DeletionPolicy: string }).DeletionPolicy).toBe('Retain')
    }
  })

  it('the personal-data key: symmetric, rotated yearly, kept on stack deletion; every function is told its id', () => {
    const key = template().Resources.PersonalDataKey as unknown as Resource & { DeletionPolicy: string }
    expect(key.Type).toBe('AWS::KMS::Key')
    expect(key.Properties).toMatchObject({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', EnableKeyRotation: true })
    expect(key.DeletionPolicy).toBe('Retain')
    for (const [, f] of ofType('AWS::Lambda::Function')) expect(f.Properties.Environment.Variables.ESIGN_KMS_DATA_KEY_ID).toEqual({ Ref: 'PersonalDataKey' })
  })

  it('every function carries the assets layer and reads the fonts from it', () => {
    const functions = ofType('AWS::Lambda::Function')
    expect(functions.length).toBeGreaterThanOrEqual(10)
    for (const [, f] of functions) {
      expect(f.Properties.Layers).toEqual([{ Ref: 'AssetsLayer' }])
      expect(f.Properties.Environment.Variables.ESIGN_ASSET_DIR).toBe('/opt/qianyue-assets')
    }
    expect(template().Resources.AssetsLayer!.Type).toBe('AWS::Lambda::LayerVersion')
  })

  it('IAM: no wildcard action; a wildcard resource only for creating signer keys (under a tag condition)', () => {
    const roles = ofType('AWS::IAM::Role')
    expect(roles.length).toBeGreaterThan(0)
    for (const [, role] of roles) {
      for (const policy of role.Properties.Policies ?? []) {
        for (const s of policy.PolicyDocument.Statement as Statement[]) {
          const actions = list(s.Action)
          for (const a of actions) expect(a).not.toMatch(/(^\*$)|(:\*$)/)
          if (list(s.Resource as unknown).some((r) => r === '*')) {
            // CreateKey names no key (it makes one): only tagged signing keys.
            expect(actions.sort()).toEqual(['kms:CreateKey', 'kms:TagResource'])
            expect(s.Condition).toMatchObject({ StringEquals: { 'aws:RequestTag/app': 'qianyue', 'kms:KeyUsage': 'SIGN_VERIFY' } })
          }
        }
      }
    }
  })

  it('IAM: every function has a role of its own, granting exactly what the allow-list below names', () => {
    const resources = template().Resources
    const functions = ofType('AWS::Lambda::Function')
    const seen = new Set<string>()
    const granted: Record<string, string[]> = {}
    for (const [, f] of functions) {
      const name = String(f.Properties.FunctionName).replace(/^qianyue-dev-/, '')
      const roleId = (f.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]
      expect(seen.has(roleId)).toBe(false)
      seen.add(roleId)
      const grants: string[] = []
      for (const policy of resources[roleId]!.Properties.Policies ?? []) {
        for (const s of policy.PolicyDocument.Statement as Statement[]) {
          expect(s.Effect).toBe('Allow')
          const condition = s.Condition === undefined ? '' : ` if ${JSON.stringify(s.Condition)}`
          for (const a of list(s.Action)) for (const r of list(s.Resource as unknown)) grants.push(`${a} ${resourceName(r)}${condition}`)
        }
      }
      granted[name] = grants.sort()
    }
    const expected = Object.fromEntries(Object.entries(ALLOWED).map(([name, a]) => [name, allowList(name, a).sort()]))
    expect(granted).toEqual(expected)
  })
})

/** What each function may do (read from its handler's wiring: runtime/services.ts and handlers/). */
type Allowed = {
  /** GetItem, PutItem, DeleteItem, Query, ConditionCheckItem on the metadata table; `index`: Query on gsi1 too. */
  table?: 'items' | 'items+index'
  /** Object key prefixes of the documents bucket: r = GetObject, w = PutObject, d = DeleteObject. */
  objects?: Record<string, 'r' | 'rw' | 'rwd'>
  /** Sign and GetPublicKey with the root, issuing, TSA and OCSP keys. */
  caKeys?: true
  /** Long-term signer keys (tagged app=qianyue): `use` = Sign, GetPublicKey; `create` adds CreateKey and ScheduleKeyDeletion. */
  signerKeys?: 'use' | 'create'
  /** Decrypt / GenerateDataKey with the personal-data key, under its encryption context only. */
  personalData?: true
  /** The jobs queue: `send` = SendMessage; `consume` = what an SQS event source needs (ReceiveMessage, DeleteMessage, GetQueueAttributes). */
  jobs?: 'send' | 'consume'
  /** SSM parameters under /qianyue/<stage>/. */
  secrets: string[]
}

const SESSION = ['session-secret']
const TENCENT = ['tencentcloud-secret-id', 'tencentcloud-secret-key']
const ALLOWED: Record<string, Allowed> = {
  health: { secrets: SESSION },
  openapi: { secrets: SESSION },
  auth: { table: 'items+index', caKeys: true, personalData: true, secrets: [...SESSION, ...TENCENT, 'wechat-app-secret'] },
  identity: {
    table: 'items+index',
    objects: { 'identity/authorization-letters/': 'rw', 'certificates/users/': 'rw', 'certificates/companies/': 'rw' },
    caKeys: true,
    signerKeys: 'create',
    personalData: true,
    secrets: [...SESSION, ...TENCENT],
  },
  messages: { table: 'items+index', caKeys: true, personalData: true, secrets: [...SESSION, ...TENCENT] },
  documents: { table: 'items', objects: { 'documents/': 'rw' }, secrets: SESSION },
  seals: { table: 'items+index', objects: { 'seals/': 'rwd', 'signatures/': 'rwd' }, secrets: SESSION },
  contracts: {
    table: 'items+index',
    objects: { 'contracts/': 'rw', 'evidence/': 'rw', 'documents/': 'r', 'seals/': 'r', 'signatures/': 'r' },
    caKeys: true,
    signerKeys: 'use',
    personalData: true,
    secrets: [...SESSION, ...TENCENT],
  },
  signing: { table: 'items+index', caKeys: true, personalData: true, secrets: [...SESSION, ...TENCENT] },
  // Templates: the filled PDF is stored as the sender's upload (documents/), the draft made as the contracts function makes it.
  templates: { table: 'items+index', objects: { 'documents/': 'rw' }, caKeys: true, personalData: true, secrets: [...SESSION, ...TENCENT] },
  pki: { table: 'items', caKeys: true, secrets: SESSION },
  verification: { table: 'items', caKeys: true, secrets: SESSION },
  'reminders-tick': { table: 'items+index', caKeys: true, personalData: true, secrets: [...SESSION, ...TENCENT] },
  'pki-tick': { table: 'items', caKeys: true, secrets: SESSION },
  // Webhook secrets are encrypted with the personal-data keys, which come with the identity services (as for messages).
  webhooks: { table: 'items+index', caKeys: true, personalData: true, secrets: [...SESSION, ...TENCENT] },
  'webhooks-tick': { table: 'items+index', caKeys: true, personalData: true, secrets: [...SESSION, ...TENCENT] },
  // Bulk send: the HTTP function stores rows and queues the job; the queue's function creates and sends each row's contract (the contracts function's rights).
  bulk: { table: 'items+index', caKeys: true, personalData: true, jobs: 'send', secrets: [...SESSION, ...TENCENT] },
  'bulk-send': {
    table: 'items+index',
    objects: { 'contracts/': 'rw', 'evidence/': 'rw', 'documents/': 'r', 'seals/': 'r', 'signatures/': 'r' },
    caKeys: true,
    signerKeys: 'use',
    personalData: true,
    jobs: 'consume',
    secrets: [...SESSION, ...TENCENT],
  },
  'evidence-tick': { table: 'items+index', objects: { 'evidence/': 'rw' }, caKeys: true, secrets: SESSION },
}

/** The grants `a` stands for, written as the test writes what the template grants: `action resource[ if condition]`. */
function allowList(name: string, a: Allowed): string[] {
  const g = [`logs:CreateLogStream logs:log-group:/aws/lambda/qianyue-dev-${name}:*`, `logs:PutLogEvents logs:log-group:/aws/lambda/qianyue-dev-${name}:*`]
  if (a.table) {
    for (const action of ['GetItem', 'PutItem', 'DeleteItem', 'Query', 'ConditionCheckItem']) g.push(`dynamodb:${action} MetadataTable`)
    if (a.table === 'items+index') g.push('dynamodb:Query MetadataTable/index/gsi1')
  }
  if (a.objects) {
    for (const [prefix, access] of Object.entries(a.objects)) {
      for (const [letter, action] of [['r', 's3:GetObject'], ['w', 's3:PutObject'], ['d', 's3:DeleteObject']] as const) if (access.includes(letter)) g.push(`${action} DocumentsBucket/${prefix}*`)
    }
    g.push('s3:ListBucket DocumentsBucket')
  }
  if (a.caKeys) for (const action of ['kms:Sign', 'kms:GetPublicKey']) for (const key of ['RootCaKey', 'IssuingCaKey', 'TsaKey', 'OcspKey']) g.push(`${action} ${key}`)
  if (a.signerKeys) {
    const tagged = ' if {"StringEquals":{"aws:ResourceTag/app":"qianyue"}}'
    for (const action of ['kms:Sign', 'kms:GetPublicKey', ...(a.signerKeys === 'create' ? ['kms:ScheduleKeyDeletion'] : [])]) g.push(`${action} kms:key/*${tagged}`)
    if (a.signerKeys === 'create') {
      const create = ' if {"StringEquals":{"aws:RequestTag/app":"qianyue","kms:KeyUsage":"SIGN_VERIFY"},"ForAllValues:StringEquals":{"aws:TagKeys":["app"]}}'
      g.push(`kms:CreateKey *${create}`, `kms:TagResource *${create}`)
    }
  }
  if (a.personalData) {
    const context = ' if {"StringEquals":{"kms:EncryptionContext:purpose":"qianyue-personal-data"}}'
    g.push(`kms:Decrypt PersonalDataKey${context}`, `kms:GenerateDataKey PersonalDataKey${context}`)
  }
  if (a.jobs === 'send') g.push('sqs:SendMessage JobsQueue')
  if (a.jobs === 'consume') for (const action of ['ReceiveMessage', 'DeleteMessage', 'GetQueueAttributes']) g.push(`sqs:${action} JobsQueue`)
  for (const secret of a.secrets) g.push(`ssm:GetParameters ssm:parameter/qianyue/dev/${secret}`)
  return g
}

/** A statement's resource, named: `X` for `X.Arn`, `X/suffix` for `${X.Arn}/suffix`, `service:rest` for an ARN of this account and region. */
function resourceName(r: unknown): string {
  if (r === '*') return '*'
  const o = r as { 'Fn::GetAtt'?: [string, string]; 'Fn::Sub'?: string }
  if (o['Fn::GetAtt']?.[1] === 'Arn') return o['Fn::GetAtt'][0]
  const sub = o['Fn::Sub']
  if (typeof sub === 'string') {
    return sub
      .replace(/^\$\{(\w+)\.Arn\}/, '$1')
      .replace(/^arn:\$\{AWS::Partition\}:(\w+):\$\{AWS::Region\}:\$\{AWS::AccountId\}:/, '$1:')
  }
  throw new Error(`unexpected IAM resource ${JSON.stringify(r)}`)
}
