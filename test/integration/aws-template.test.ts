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

  it('every function carries the assets layer and reads the fonts from it', () => {
    const functions = ofType('AWS::Lambda::Function')
    expect(functions.length).toBeGreaterThanOrEqual(10)
    for (const [, f] of functions) {
      expect(f.Properties.Layers).toEqual([{ Ref: 'AssetsLayer' }])
      expect(f.Properties.Environment.Variables.ESIGN_ASSET_DIR).toBe('/opt/qianyue-assets')
    }
    expect(template().Resources.AssetsLayer!.Type).toBe('AWS::Lambda::LayerVersion')
  })

  it('IAM: no wildcard action; a wildcard resource only under a tag condition (run-time signer keys) or for logs', () => {
    const roles = ofType('AWS::IAM::Role')
    expect(roles.length).toBeGreaterThan(0)
    for (const [, role] of roles) {
      for (const policy of role.Properties.Policies ?? []) {
        for (const s of policy.PolicyDocument.Statement as Statement[]) {
          const actions = list(s.Action)
          for (const a of actions) expect(a).not.toMatch(/(^\*$)|(:\*$)/)
          const wildcard = list(s.Resource as unknown).some((r) => r === '*')
          if (wildcard) expect(s.Condition !== undefined || actions.every((a) => a.startsWith('logs:'))).toBe(true)
        }
      }
    }
  })
})
