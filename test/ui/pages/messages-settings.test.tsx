import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import Taro from '@tarojs/taro'
import ChannelSettings from '@/packages/messages/pages/settings'

const request = jest.mocked(Taro.request)
const ok = (data: unknown, statusCode = 200) => ({ statusCode, data, header: {}, cookies: [], errMsg: 'request:ok' }) as never
const type = (id: string, value: string) => fireEvent.change(document.getElementById(id)!, { target: { value } })

describe('notification settings page (packages/messages/pages/settings)', () => {
  beforeEach(() => request.mockReset())

  it('shows each channel on or off and turns one off', async () => {
    request.mockResolvedValueOnce(ok({ sms: true, wechat: true, email: false })).mockResolvedValueOnce(ok({ sms: false, wechat: true, email: false }))
    render(<ChannelSettings />)
    await waitFor(() => expect(document.getElementById('channel-sms')).toHaveAttribute('data-on', 'true'))
    expect(document.getElementById('channel-email')).toHaveAttribute('data-on', 'false')
    expect(screen.getByText('邮箱：未填写')).toBeInTheDocument()

    fireEvent.click(document.getElementById('channel-sms-toggle')!)

    await waitFor(() => expect(document.getElementById('channel-sms')).toHaveAttribute('data-on', 'false'))
    expect(request).toHaveBeenNthCalledWith(2, expect.objectContaining({ url: '/api/messages/channels', method: 'PUT', data: { sms: false } }))
    expect(screen.getByText('✓ 已保存')).toBeInTheDocument()
  })

  it('saves an e-mail address and shows it masked; a refused change shows the server message', async () => {
    request
      .mockResolvedValueOnce(ok({ sms: true, wechat: true, email: false }))
      .mockResolvedValueOnce(ok({ sms: true, wechat: true, email: true, maskedEmail: 'q***@example.com' }))
      .mockResolvedValueOnce(ok({ error: { code: 'VALIDATION_FAILED', message: '开启邮件通知前请先填写邮箱地址' } }, 400))
    render(<ChannelSettings />)
    await screen.findByText('邮箱：未填写')

    type('channels-email-input', 'qian@example.com')
    fireEvent.click(screen.getByText('保存邮箱并开启邮件通知'))
    expect(await screen.findByText('邮箱：q***@example.com')).toBeInTheDocument()
    expect(request).toHaveBeenNthCalledWith(2, expect.objectContaining({ method: 'PUT', data: { emailAddress: 'qian@example.com', email: true } }))

    fireEvent.click(document.getElementById('channel-wechat-toggle')!)
    expect(await screen.findByText(/开启邮件通知前请先填写邮箱地址/)).toBeInTheDocument()
  })
})
