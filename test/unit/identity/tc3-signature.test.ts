import { createHash, createHmac } from 'node:crypto'
import { parseTc3Authorization, signTc3, tc3Date, tc3SigningKey } from '../../../cloud-functions/adapters/tencent-cloud/tc3-signature'

/** The CVM DescribeInstances example of CHINA-APIS.md §1.3 (Python json.dumps output, literal \u escapes). */
const PAYLOAD = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
const COMMON = {
  service: 'cvm',
  host: 'cvm.tencentcloudapi.com',
  method: 'POST' as const,
  contentType: 'application/json; charset=utf-8',
  payload: PAYLOAD,
  timestamp: 1551113065,
  action: 'DescribeInstances',
}

describe('TC3-HMAC-SHA256 against the published vectors (CHINA-APIS.md §1.3)', () => {
  it('hashes the example payload and dates it in UTC (2019-02-25, not the UTC+8 date)', () => {
    expect(createHash('sha256').update(PAYLOAD).digest('hex')).toBe('35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064')
    expect(tc3Date(1551113065)).toBe('2019-02-25')
  })

  it('vector A (current doc, SignedHeaders content-type;host;x-tc-action): canonical request, string to sign, signature', () => {
    // Prepare: the doc masks the key but publishes SecretSigning; we reproduce everything up to it.
    const r = signTc3({ ...COMMON, secretId: 'AKID-masked', secretKey: 'masked', signedHeaders: 'content-type;host;x-tc-action' })

    // Assess
    expect(r.canonicalRequest).toBe(
      'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\nx-tc-action:describeinstances\n\ncontent-type;host;x-tc-action\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
    )
    expect(createHash('sha256').update(r.canonicalRequest).digest('hex')).toBe('7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84')
    expect(r.stringToSign).toBe('TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84')
    const secretSigning = Buffer.from('b596b923aad85185e2d1f6659d2a062e0a86731226e021e61bfe06f7ed05f5af', 'hex')
    expect(createHmac('sha256', secretSigning).update(r.stringToSign).digest('hex')).toBe('10b1a37a7301a02ca19a647ad722d5e43b4b3cff309d421d85b46093f6ab6c4f')
  })

  it('vector B (older doc, full secrets): derivation chain, signature and Authorization header', () => {
    // Act
    const r = signTc3({ ...COMMON, secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE', secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE' })

    // Assess
    expect(createHash('sha256').update(r.canonicalRequest).digest('hex')).toBe('5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031')
    expect(r.signature).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168')
    expect(r.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    )
    expect(parseTc3Authorization(r.authorization)).toEqual({
      secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
      date: '2019-02-25',
      service: 'cvm',
      signedHeaders: 'content-type;host',
      signature: r.signature,
    })
  })

  it('vector B with the masked key literal, and the self-computed x-tc-action variant', () => {
    expect(signTc3({ ...COMMON, secretId: 'x', secretKey: 'Gu5t9xGARNpq86cd98joQYCN3*******' }).signature).toBe('2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c')
    expect(signTc3({ ...COMMON, secretId: 'x', secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE', signedHeaders: 'content-type;host;x-tc-action' }).signature).toBe(
      '644be983de9a8a3f00db8eadaba61467c3b429e2215758ba897b738ca469fd26',
    )
  })

  it('vector C (official Node SDK test): POST application/json and GET form content type', () => {
    const base = {
      secretId: 'test-secret-id',
      secretKey: 'test-secret-key',
      service: 'cvm',
      host: 'cvm.tencentcloudapi.com',
      payload: JSON.stringify({ Action: 'DescribeInstances', Version: '2017-03-12' }),
      timestamp: 1640995200,
    }
    const post = signTc3({ ...base, method: 'POST', contentType: 'application/json' })
    expect(post.signature).toBe('96473b50fe407833672a5d6d067238d88bb44c8abcc39ef83baa3132afbfadd3')
    expect(post.authorization).toMatch(/^TC3-HMAC-SHA256 Credential=test-secret-id\/2022-01-01\/cvm\/tc3_request, SignedHeaders=content-type;host, Signature=96473b50/)
    const get = signTc3({ ...base, method: 'GET', contentType: 'application/x-www-form-urlencoded' })
    expect(get.signature).toBe('39ce411ac32014b7d814118b33f82d3445be566f67e1f4b369ccdc3791ce9a13')
  })

  it('derives the signing key as HMAC("TC3"+key, date) → service → "tc3_request"', () => {
    const k = tc3SigningKey('Gu5t9xGARNpq86cd98joQYCN3EXAMPLE', '2019-02-25', 'cvm')
    expect(k).toHaveLength(32)
    expect(tc3SigningKey('Gu5t9xGARNpq86cd98joQYCN3EXAMPLE', '2019-02-26', 'cvm').equals(k)).toBe(false)
  })
})
