import '@testing-library/jest-dom'
import { render, screen } from '@testing-library/react'
import Taro from '@tarojs/taro'
import type { ContractView, PartySealRequest } from '@api/contracts.types'
import Sign from '@/packages/signing/pages/sign'

const request = jest.mocked(Taro.request)
const ok = (data: unknown, statusCode = 200) => ({ statusCode, data, header: {}, cookies: [], errMsg: 'request:ok' }) as never

/** A sent contract whose company party (C, the caller's) raised a 用印申请 in state `sealRequest`. */
function view(sealRequest: PartySealRequest): ContractView {
  return {
    contractId: 'c1',
    title: '采购合同',
    status: 'sent',
    senderName: '王建国',
    deadline: '2026-12-12T15:59:59Z',
    createdAt: '2026-12-01T02:00:00Z',
    parties: [
      { partyId: 'C', role: 'signer', kind: 'company', name: '华南示例科技有限公司', memberName: '赵敏', companyId: 'CO1', maskedPhone: '139****2002', status: 'viewed', group: 0, sealRequest },
      { partyId: 'P', role: 'signer', kind: 'person', name: '孙丽', maskedPhone: '139****2004', status: 'signed', group: 0 },
    ],
    order: [['C', 'P']],
    fields: [{ kind: 'seal', fieldId: 'seal', partyId: 'C', page: 0, rect: [40, 80, 119, 119] }],
    pages: [{ width: 595, height: 842 }],
    document: { originalSha256: 'a'.repeat(64), preparedSha256: 'b'.repeat(64), latestSha256: 'c'.repeat(64) },
    values: {},
    archived: false,
    reminders: { afterDays: [1, 3, 7], beforeDeadlineHours: 24 },
    me: { partyId: 'C', isSender: false, canSend: false, canSign: true, canDecline: true, canRevoke: false, canRenew: false },
  }
}

/** The server as the sign page calls it, with the contract view `v`. */
function serve(v: ContractView) {
  request.mockImplementation(((o: { url: string }) => {
    if (o.url === '/api/contracts/c1' || o.url === '/api/contracts/c1/view') return Promise.resolve(ok(v))
    if (o.url === '/api/auth/me') return Promise.resolve(ok({ userId: 'U', maskedPhone: '139****2002', realName: 'verified' }))
    if (o.url === '/api/seals/mine') return Promise.resolve(ok({ seals: [{ sealId: 'S1', companyId: 'CO1', companyName: '华南示例科技有限公司', name: '合同专用章', status: 'active' }] }))
    if (o.url === '/api/identity/companies') return Promise.resolve(ok([]))
    return Promise.resolve(ok({ error: { code: 'NOT_FOUND', message: '未找到' } }, 404))
  }) as never)
}

describe('sign page: a company party’s 用印申请', () => {
  beforeEach(() => {
    request.mockReset()
    jest.mocked(Taro.useRouter).mockReturnValue({ params: { contractId: 'c1' }, path: '' } as never)
    jest.mocked(Taro.getStorageSync).mockImplementation(((key: string) => (key === 'qianyue.session' ? { token: 'qy1.x.y', expiresAt: Date.now() + 3_600_000 } : '')) as never)
  })

  it('pending: says in Chinese that it is being approved and signing follows approval, with who asked and when (Beijing time)', async () => {
    serve(view({ requestId: 'R1', status: 'pending', requesterName: '赵*', requestedAt: '2026-12-01T16:30:00Z' }))
    render(<Sign />)
    expect(await screen.findByText('用印申请审批中')).toBeInTheDocument()
    expect(screen.getByText('用印申请审批中，审批通过后即可签署（赵* 于 2026-12-02 00:30 提交的用印申请）。')).toBeInTheDocument()
  })

  it('approved: asks to sign; rejected: says so and whom to turn to', async () => {
    serve(view({ requestId: 'R1', status: 'approved', requesterName: '赵*', requestedAt: '2026-12-01T02:00:00Z', decidedAt: '2026-12-01T03:00:00Z' }))
    const { unmount } = render(<Sign />)
    expect(await screen.findByText('用印申请已通过')).toBeInTheDocument()
    expect(screen.getByText('赵* 于 2026-12-01 10:00 提交的用印申请已通过审批，请签署。')).toBeInTheDocument()
    unmount()

    serve(view({ requestId: 'R2', status: 'rejected', requesterName: '赵*', requestedAt: '2026-12-01T02:00:00Z', decidedAt: '2026-12-01T03:00:00Z' }))
    render(<Sign />)
    expect(await screen.findByText('用印申请已驳回')).toBeInTheDocument()
    expect(document.getElementById('sign-seal-request')).toHaveClass('error')
  })
})
