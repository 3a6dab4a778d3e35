import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import Taro from '@tarojs/taro'
import type { MessageListResponse } from '@api/messages.types'
import Messages from '@/packages/messages/pages/list'

const request = jest.mocked(Taro.request)
const ok = (data: unknown, statusCode = 200) => ({ statusCode, data, header: {}, cookies: [], errMsg: 'request:ok' }) as never

const page: MessageListResponse = {
  items: [
    { messageId: 'M2', kind: 'sign-request', title: '待您签署', body: '孔发起邀请您签署「车位租赁合同」', contractId: 'C2', createdAt: '2026-12-04T10:00:00.000Z', read: false },
    { messageId: 'M1', kind: 'completed', title: '合同已完成', body: '「房屋租赁合同」已由各方签署完成。', contractId: 'C1', createdAt: '2026-12-03T10:00:00.000Z', read: true },
  ],
  next: 'M1',
}

describe('messages page (packages/messages/pages/list)', () => {
  beforeEach(() => {
    request.mockReset()
    jest.mocked(Taro.navigateTo).mockClear()
  })

  it('lists the messages newest first with unread ones marked; opening one marks it read and opens its contract', async () => {
    // Prepare
    request.mockResolvedValueOnce(ok(page)).mockResolvedValueOnce(ok({ ...page.items[0], read: true }))
    render(<Messages />)

    // Act
    const title = await screen.findByText('待您签署')
    expect(title.closest('[data-read]')).toHaveAttribute('data-read', 'false')
    expect(screen.getByText('合同已完成').closest('[data-read]')).toHaveAttribute('data-read', 'true')
    expect(screen.getByText('12-04 18:00')).toBeInTheDocument()
    fireEvent.click(title)

    // Assess
    await waitFor(() => expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/contracts/pages/detail/index?contractId=C2' }))
    expect(request).toHaveBeenNthCalledWith(1, expect.objectContaining({ url: '/api/messages', method: 'GET' }))
    expect(request).toHaveBeenNthCalledWith(2, expect.objectContaining({ url: '/api/messages/M2/read', method: 'POST' }))
    expect(screen.getByText('待您签署').closest('[data-read]')).toHaveAttribute('data-read', 'true')
  })

  it('全部已读 marks every message read; 加载更多 continues from next', async () => {
    // Prepare
    request
      .mockResolvedValueOnce(ok(page))
      .mockResolvedValueOnce(ok({ unread: 0 }))
      .mockResolvedValueOnce(ok({ items: [{ messageId: 'M0', kind: 'expired', title: '合同已过期', body: '「旧合同」已过签署截止时间，未完成签署。', createdAt: '2026-12-01T10:00:00.000Z', read: false }] }))
    render(<Messages />)
    await screen.findByText('待您签署')

    // Act
    fireEvent.click(screen.getByText('全部已读'))
    await waitFor(() => expect(screen.getByText('待您签署').closest('[data-read]')).toHaveAttribute('data-read', 'true'))
    fireEvent.click(screen.getByText('加载更多'))

    // Assess
    expect(await screen.findByText('合同已过期')).toBeInTheDocument()
    expect(request).toHaveBeenNthCalledWith(2, expect.objectContaining({ url: '/api/messages/read-all', method: 'POST' }))
    expect(request).toHaveBeenNthCalledWith(3, expect.objectContaining({ url: '/api/messages?cursor=M1', method: 'GET' }))
    expect(screen.queryByText('加载更多')).not.toBeInTheDocument()
  })

  it('shows 暂无消息 for an empty list and the server message on an error', async () => {
    request.mockResolvedValueOnce(ok({ items: [] }))
    const { unmount } = render(<Messages />)
    expect(await screen.findByText('暂无消息')).toBeInTheDocument()
    unmount()
    request.mockResolvedValueOnce(ok({ error: { code: 'UNAUTHENTICATED', message: '请先登录' } }, 401))
    render(<Messages />)
    expect(await screen.findByText(/请先登录/)).toBeInTheDocument()
  })
})
