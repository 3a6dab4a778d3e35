import { fireEvent, render, screen } from '@testing-library/react'
import Taro from '@tarojs/taro'
import Index from '@/pages/index'

const request = jest.mocked(Taro.request)
const ok = (data: unknown, statusCode = 200) => ({ statusCode, data, header: {}, cookies: [], errMsg: 'request:ok' }) as never

/** The home page's answers for a signed-in, verified person with `unread` unread messages. */
function serve(unread: number) {
  request.mockImplementation(((o: { url: string }) => {
    if (o.url === '/api/auth/me') return Promise.resolve(ok({ userId: 'U', maskedPhone: '139****7101', realName: 'verified', name: '孔发起' }))
    if (o.url === '/api/identity/companies') return Promise.resolve(ok([]))
    if (o.url.startsWith('/api/identity/invitations')) return Promise.resolve(ok([]))
    if (o.url === '/api/contracts/counts') return Promise.resolve(ok({ toSign: 1, waitingForOthers: 0, expiringSoon: 0, completed: 0 }))
    if (o.url === '/api/messages/unread-count') return Promise.resolve(ok({ unread }))
    return Promise.resolve(ok({ error: { code: 'ROUTE_NOT_FOUND', message: '接口不存在' } }, 404))
  }) as never)
}

describe('home page: unread message badge', () => {
  beforeEach(() => {
    request.mockReset()
    jest.mocked(Taro.navigateTo).mockClear()
    jest.mocked(Taro.getStorageSync).mockReturnValue({ token: 'qy1.t.s', expiresAt: Date.now() + 3600_000 })
  })
  afterAll(() => jest.mocked(Taro.getStorageSync).mockReturnValue(''))

  it('shows the unread count on 消息 (99+ above 99) and opens the message list', async () => {
    serve(3)
    const { unmount } = render(<Index />)
    expect(await screen.findByText('3')).toHaveAttribute('id', 'home-unread')
    fireEvent.click(screen.getByText('消息'))
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/messages/pages/list/index' })
    unmount()

    serve(120)
    render(<Index />)
    expect(await screen.findByText('99+')).toHaveAttribute('id', 'home-unread')
  })

  it('shows no badge when nothing is unread', async () => {
    serve(0)
    render(<Index />)
    await screen.findByText('孔发起')
    await new Promise((r) => setTimeout(r, 0))
    expect(document.getElementById('home-unread')).toBeNull()
    expect(request).toHaveBeenCalledWith(expect.objectContaining({ url: '/api/messages/unread-count' }))
  })
})
