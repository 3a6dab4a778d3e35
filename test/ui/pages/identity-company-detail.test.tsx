import { fireEvent, render, screen } from '@testing-library/react'
import Taro from '@tarojs/taro'
import type { CompanyView } from '@api/identity.types'
import CompanyDetail from '@/packages/identity/pages/company-detail'

const request = jest.mocked(Taro.request)
const ok = (data: unknown, statusCode = 200) => ({ statusCode, data, header: {}, cookies: [], errMsg: 'request:ok' }) as never
const type = (id: string, value: string) => fireEvent.change(document.getElementById(id)!, { target: { value } })

const pending: CompanyView = {
  companyId: '01J0000000000000000000000C',
  name: '沙箱周九贸易有限公司',
  creditCode: '91440300MA5F0Q1R2A',
  legalRepName: '周九',
  maskedLegalRepIdNumber: '1101**********0046',
  status: 'pending',
  myRole: 'applicant',
  microDepositAvailable: true,
}
const awaiting: CompanyView = {
  ...pending,
  microDeposit: { bankName: '沙箱银行', maskedBankAccount: '6222***********0123', attemptsLeft: 3, expiresAt: '2026-03-04T04:00:00.000Z', state: 'awaiting-amount' },
}

describe('company verification page (packages/identity/pages/company-detail)', () => {
  beforeEach(() => {
    request.mockReset()
    jest.mocked(Taro.getStorageSync).mockReturnValue({ token: 'qy1.t.s', expiresAt: Date.now() + 3600_000 })
    jest.mocked(Taro.useRouter).mockReturnValue({ params: { id: pending.companyId }, path: '' } as never)
  })

  it('offers both methods to the applicant, sends the micro-deposit, then confirms the amount and lists the members', async () => {
    // Prepare
    request
      .mockResolvedValueOnce(ok(pending))
      .mockResolvedValueOnce(ok(awaiting))
      .mockResolvedValueOnce(ok({ error: { code: 'MICRO_DEPOSIT_WRONG_AMOUNT', message: '金额不正确，还可尝试 2 次', details: { attemptsLeft: 2, field: 'amount' } } }, 422))
      .mockResolvedValueOnce(ok({ ...awaiting, microDeposit: { ...awaiting.microDeposit!, attemptsLeft: 2 } }))
      .mockResolvedValueOnce(ok({ ...awaiting, status: 'verified', method: 'micro-deposit', myRole: 'admin', microDeposit: { ...awaiting.microDeposit!, state: 'confirmed' } }))
      .mockResolvedValueOnce(ok([{ userId: 'U1', name: '周九', role: 'admin', maskedPhone: '138****0007', joinedAt: '2026-03-01T04:00:00.000Z' }]))
    render(<CompanyDetail />)
    expect(await screen.findByText('方式一：法定代表人授权')).toBeInTheDocument()
    expect(screen.getByText('方式二：对公打款')).toBeInTheDocument()

    // Act: send the deposit
    type('deposit-bank-name', '沙箱银行')
    type('deposit-bank-account', '6222021234567890123')
    fireEvent.click(screen.getByText('发起对公打款'))
    expect(await screen.findByText(/已向 沙箱银行（6222\*{11}0123）打入/)).toBeInTheDocument()
    expect(request).toHaveBeenNthCalledWith(2, expect.objectContaining({ url: `/api/identity/companies/${pending.companyId}/micro-deposit`, data: { bankName: '沙箱银行', bankAccount: '6222021234567890123' } }))

    // Act: a wrong amount, then the right one
    type('deposit-amount', '0.01')
    fireEvent.click(screen.getByText('确认金额'))
    expect(await screen.findByText('金额不正确，还可尝试 2 次')).toBeInTheDocument()
    expect(await screen.findByText(/剩余 2 次机会/)).toBeInTheDocument()
    type('deposit-amount', '0.37')
    fireEvent.click(screen.getByText('确认金额'))

    // Assess
    expect(await screen.findByText('✓ 企业认证已完成')).toBeInTheDocument()
    expect(await screen.findByText('周九 · 管理员 · 138****0007')).toBeInTheDocument()
    expect(screen.getByText('状态：已认证（对公打款）')).toBeInTheDocument()
  })

  it('lets the legal representative request the code and sign the letter', async () => {
    const withLetter: CompanyView = { ...pending, myRole: 'legal-rep', authorization: { letterId: 'AL01', documentHash: 'a'.repeat(64), status: 'awaiting-signature', callerIsLegalRep: true } }
    request
      .mockResolvedValueOnce(ok(withLetter))
      .mockResolvedValueOnce(ok({ maskedPhone: '138****0001', expiresInSeconds: 300, resendAfterSeconds: 60, sandbox: true }, 202))
    render(<CompanyDetail />)
    fireEvent.click(await screen.findByText('获取验证码'))
    expect(await screen.findByText('验证码已发送至 138****0001（沙箱：请在沙箱发件箱查看）')).toBeInTheDocument()
    expect(screen.getByText('确认意愿并签署授权书').closest('button')).toHaveAttribute('aria-disabled', 'true')
    expect(screen.queryByText('方式二：对公打款')).not.toBeInTheDocument()
  })
})
