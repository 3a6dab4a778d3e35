import { fireEvent, render, screen } from '@testing-library/react'
import Taro from '@tarojs/taro'
import Login from '@/packages/identity/pages/login'

const request = jest.mocked(Taro.request)
const ok = (data: unknown, statusCode = 200) => ({ statusCode, data, header: {}, cookies: [], errMsg: 'request:ok' }) as never
const type = (id: string, value: string) => fireEvent.change(document.getElementById(id)!, { target: { value } })

describe('login page (packages/identity/pages/login)', () => {
  beforeEach(() => {
    request.mockReset()
    jest.mocked(Taro.setStorageSync).mockClear()
    jest.mocked(Taro.redirectTo).mockClear()
    jest.mocked(Taro.useRouter).mockReturnValue({ params: { next: encodeURIComponent('/packages/identity/pages/company/index') }, path: '' } as never)
  })

  it('requests a code, points to the sandbox outbox, logs in, stores the session and goes to `next`', async () => {
    // Prepare
    request
      .mockResolvedValueOnce(ok({ maskedPhone: '138****0001', expiresInSeconds: 300, resendAfterSeconds: 60, sandbox: true }, 202))
      .mockResolvedValueOnce(ok({ token: 'qy1.a.b', expiresInSeconds: 43200, created: true, account: { userId: 'U', maskedPhone: '138****0001', realName: 'unverified' } }))
    render(<Login />)

    // Act
    type('login-phone', '13800000001')
    fireEvent.click(screen.getByText('获取验证码'))
    expect(await screen.findByText(/验证码已发送至 138\*\*\*\*0001/)).toBeInTheDocument()
    expect(screen.getByText('打开沙箱发件箱 ›')).toBeInTheDocument()
    expect(screen.getByText('60 秒后重发').closest('button')).toHaveAttribute('aria-disabled', 'true')
    type('login-code', '123456')
    fireEvent.click(screen.getByText('登录'))

    // Assess
    await screen.findByText('登录')
    await new Promise((r) => setTimeout(r, 0))
    expect(request).toHaveBeenNthCalledWith(2, expect.objectContaining({ url: '/api/auth/sms-login', method: 'POST', data: { phone: '13800000001', code: '123456' } }))
    expect(Taro.setStorageSync).toHaveBeenCalledWith('qianyue.session', { token: 'qy1.a.b', expiresAt: expect.any(Number) })
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/packages/identity/pages/company/index' })
  })

  it('shows the server message for a wrong code', async () => {
    request.mockResolvedValueOnce(ok({ error: { code: 'SMS_CODE_INVALID', message: '验证码不正确，还可尝试 4 次', details: { field: 'code', attemptsLeft: 4 } } }, 400))
    render(<Login />)
    type('login-phone', '13800000001')
    type('login-code', '000000')
    fireEvent.click(screen.getByText('登录'))
    expect(await screen.findByText('验证码不正确，还可尝试 4 次')).toHaveAttribute('id', 'login-error')
    expect(Taro.redirectTo).not.toHaveBeenCalled()
  })
})
