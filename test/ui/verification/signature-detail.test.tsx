import '@testing-library/jest-dom'
import { render, screen } from '@testing-library/react'
import SignatureDetail from '@/components/signature-detail'
import { signature } from './fixtures'

describe('SignatureDetail (components/signature-detail)', () => {
  it('shows signer, trusted time in Beijing time, certificate and status in Chinese', () => {
    // Act
    render(<SignatureDetail signature={signature({ chain: [signature().certificate!, { ...signature().certificate!, commonName: 'Qianyue Root CA' }] })} index={1} />)

    // Assess
    expect(screen.getByText('签名 1：张三')).toBeInTheDocument()
    expect(screen.getByText('有效')).toBeInTheDocument()
    expect(screen.getByText('2026-11-30 10:15:00（北京时间），由 Qianyue Time Stamping Authority 1 签发')).toBeInTheDocument()
    expect(screen.getByText('完整：签署后签名覆盖的内容未被改动')).toBeInTheDocument()
    expect(screen.getByText('可信：由受信任的根证书签发')).toBeInTheDocument()
    expect(screen.getByText('未吊销（来自文档中的吊销信息）')).toBeInTheDocument()
    expect(screen.getByText('CN=张三, C=CN')).toBeInTheDocument()
    expect(screen.getByText('张三 → Qianyue Root CA')).toBeInTheDocument()
    expect(screen.getByText('无')).toBeInTheDocument()
  })

  it('lists what changed after signing, allowed and not, and the problems', () => {
    // Prepare
    const s = signature({
      modification: 'disallowed',
      coversWholeDocument: false,
      changes: [
        { revision: 3, level: 'allowed', kind: 'signature-added', detail: 'signature added in field "乙方"' },
        { revision: 4, level: 'disallowed', kind: 'page-content-changed', detail: 'page 1: /Contents changed' },
      ],
      problems: [{ code: 'MODIFIED_AFTER_SIGNING', message: 'x' }],
    })

    // Act
    render(<SignatureDetail signature={s} index={2} />)

    // Assess
    expect(screen.getByText('签署后被修改')).toBeInTheDocument()
    expect(screen.getByText('第 3 次修订：添加了签名（signature added in field "乙方"）')).toBeInTheDocument()
    expect(screen.getByText('第 4 次修订：修改了页面内容（page 1: /Contents changed）')).toBeInTheDocument()
    expect(screen.getByText('允许')).toBeInTheDocument()
    expect(screen.getByText('不允许')).toBeInTheDocument()
    expect(screen.getByText('签署后文档被修改')).toBeInTheDocument()
    expect(screen.getByText('第 2 次修订；之后文档还有修订')).toBeInTheDocument()
  })

  it('says when there is no trusted time and the certificate is not trusted or revoked', () => {
    render(<SignatureDetail signature={signature({ timestamp: null, timeProven: false, trusted: false, revocation: { status: 'revoked', source: 'online', revokedAt: '2026-11-29T16:00:00.000Z' } })} />)
    expect(screen.getByText('无可信时间戳；签署人声明的时间 2026-11-30 10:15:00（未经证明）')).toBeInTheDocument()
    expect(screen.getByText('无法确认签署人身份')).toBeInTheDocument()
    expect(screen.getByText('无法确认：证书不是由受信任的机构签发')).toBeInTheDocument()
    expect(screen.getByText('已吊销（2026-11-30 00:00:00）')).toBeInTheDocument()
  })

  it('a changed document does not call its certificate 不可信, and the platform registry answers 吊销状态', () => {
    render(<SignatureDetail signature={signature({ intact: false, valid: false, trusted: false, revocation: { status: 'good', source: 'registry' } })} />)
    expect(screen.queryByText(/不可信/)).not.toBeInTheDocument()
    expect(screen.getByText('未评估：签名已失效（签名覆盖的内容与签名不符）')).toBeInTheDocument()
    expect(screen.getByText('未吊销（平台证书登记）')).toBeInTheDocument()
  })
})
