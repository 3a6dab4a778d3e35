import { fireEvent, render, screen } from '@testing-library/react'
import Taro from '@tarojs/taro'
import SigningLink from '@/packages/signing/pages/link'

const request = jest.mocked(Taro.request)
const ok = (data: unknown, statusCode = 200) => ({ statusCode, data, header: {}, cookies: [], errMsg: 'request:ok' }) as never
const type = (id: string, value: string) => fireEvent.change(document.getElementById(id)!, { target: { value } })

describe('signing-link page (packages/signing/pages/link)', () => {
  beforeEach(() => {
    request.mockReset()
    jest.mocked(Taro.setStorageSync).mockClear()
    jest.mocked(Taro.redirectTo).mockClear()
    jest.mocked(Taro.useRouter).mockReturnValue({ params: { token: 'tok_123' }, path: '' } as never)
  })

  it('shows the contract, sends a code to the party, logs in with it, keeps the session and opens the sign page', async () => {
    request
      .mockResolvedValueOnce(ok({ contractTitle: '房屋租赁合同', partyName: '张三', maskedPhone: '138****0001', senderName: '李四', deadline: '2026-12-12T15:59:59Z' }))
      .mockResolvedValueOnce(ok({ maskedPhone: '138****0001', expiresInSeconds: 300, resendAfterSeconds: 60, sandbox: true }, 202))
      .mockResolvedValueOnce(ok({ token: 'qy1.x.y', expiresInSeconds: 3600, created: false, account: { userId: 'U', realName: 'verified' }, contractId: 'c1', partyId: 'p2' }))
    render(<SigningLink />)

    expect(await screen.findByText('房屋租赁合同')).toHaveAttribute('id', 'link-title')
    expect(screen.getByText('截止时间：2026-12-12 23:59')).toBeInTheDocument()
    fireEvent.click(screen.getByText('获取验证码'))
    expect(await screen.findByText(/验证码已发送至 138\*\*\*\*0001/)).toBeInTheDocument()
    type('link-code', '123456')
    fireEvent.click(screen.getByText('查看并签署'))

    await new Promise((r) => setTimeout(r, 0))
    await screen.findByText('查看并签署')
    expect(request).toHaveBeenNthCalledWith(1, expect.objectContaining({ url: '/api/signing-links/tok_123', method: 'GET' }))
    expect(request).toHaveBeenNthCalledWith(2, expect.objectContaining({ url: '/api/signing-links/tok_123/sms-codes', method: 'POST' }))
    expect(request).toHaveBeenNthCalledWith(3, expect.objectContaining({ url: '/api/signing-links/tok_123/login', method: 'POST', data: { code: '123456' } }))
    expect(Taro.setStorageSync).toHaveBeenCalledWith('qianyue.session', { token: 'qy1.x.y', expiresAt: expect.any(Number) })
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/packages/signing/pages/sign/index?contractId=c1' })
  })

  it('a code asked for too soon (发送过于频繁) waits the seconds the server names before the button works again', async () => {
    request
      .mockResolvedValueOnce(ok({ contractTitle: '房屋租赁合同', partyName: '张三', maskedPhone: '138****0001', senderName: '李四', deadline: '2026-12-12T15:59:59Z' }))
      .mockResolvedValueOnce(ok({ error: { code: 'SMS_RESEND_TOO_SOON', message: '验证码发送过于频繁，请 42 秒后再试' } }, 429))
    render(<SigningLink />)
    fireEvent.click(await screen.findByText('获取验证码'))
    expect(await screen.findByText('42 秒后重发')).toBeInTheDocument()
    fireEvent.click(screen.getByText('42 秒后重发'))
    await new Promise((r) => setTimeout(r, 0))
    expect(request).toHaveBeenCalledTimes(2)
  })

  it('an expired or unknown link shows the server message and no code button', async () => {
    request.mockResolvedValueOnce(ok({ error: { code: 'NOT_FOUND', message: '签署链接无效或已过期' } }, 404))
    render(<SigningLink />)
    expect(await screen.findByText('签署链接无效或已过期')).toHaveAttribute('id', 'link-error')
    expect(screen.queryByText('获取验证码')).toBeNull()
  })
})
