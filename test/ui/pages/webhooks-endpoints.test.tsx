import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import Taro from '@tarojs/taro'
import WebhookEndpoints from '@/packages/webhooks/pages/endpoints'

const request = jest.mocked(Taro.request)
const ok = (data: unknown, statusCode = 200) => ({ statusCode, data, header: {}, cookies: [], errMsg: 'request:ok' }) as never
const type = (id: string, value: string) => fireEvent.change(document.getElementById(id)!, { target: { value } })
const ALL = ['contract.sent', 'signer.signed', 'contract.completed', 'contract.declined', 'contract.revoked', 'contract.expired']
const endpoint = { webhookId: 'W1', url: 'https://erp.example.com/hook', events: ALL, createdAt: '2026-12-04T08:00:00.000Z' }

describe('webhook settings page (packages/webhooks/pages/endpoints)', () => {
  beforeEach(() => {
    request.mockReset()
    jest.mocked(Taro.getStorageSync).mockReturnValue({ token: 'qy1.t.s', expiresAt: Date.now() + 3600_000 })
    jest.mocked(Taro.useRouter).mockReturnValue({ params: { companyId: 'C1' }, path: '' } as never)
  })

  it('shows the server’s reason for a refused URL, then creates one with chosen events and shows the secret once', async () => {
    request
      .mockResolvedValueOnce(ok({ items: [] }))
      .mockResolvedValueOnce(ok({ error: { code: 'WEBHOOK_ADDRESS_FORBIDDEN', message: '推送地址解析到了不允许的地址（内网地址）' } }, 422))
      .mockResolvedValueOnce(ok({ ...endpoint, events: ['contract.sent', 'contract.completed'], secret: 'whsec_abc' }, 201))
      .mockResolvedValueOnce(ok({ items: [{ ...endpoint, events: ['contract.sent', 'contract.completed'] }] }))
    render(<WebhookEndpoints />)
    expect(await screen.findByText('还没有接收地址')).toBeInTheDocument()

    type('webhook-url', 'http://10.0.0.1/hook')
    fireEvent.click(screen.getByText('创建'))
    expect(await screen.findByText(/内网地址/)).toBeInTheDocument()

    type('webhook-url', 'https://erp.example.com/hook')
    for (const label of ['✓ 签署方已签署', '✓ 合同被拒签', '✓ 合同已撤回', '✓ 合同已过期']) fireEvent.click(screen.getByText(label))
    fireEvent.click(screen.getByText('创建'))
    expect(await screen.findByText('whsec_abc')).toBeInTheDocument()
    expect(request).toHaveBeenNthCalledWith(3, expect.objectContaining({ url: '/api/companies/C1/webhooks', method: 'POST', data: { url: 'https://erp.example.com/hook', events: ['contract.sent', 'contract.completed'] } }))
    expect(await screen.findByText('合同已发出、合同已完成')).toBeInTheDocument()

    fireEvent.click(screen.getByText('我已保存'))
    await waitFor(() => expect(screen.queryByText('whsec_abc')).not.toBeInTheDocument())
  })

  it('opens the delivery log, redelivers a failed delivery and deletes after confirming', async () => {
    const failed = { deliveryId: 'D1', eventId: 'evt_1', eventType: 'contract.sent', contractId: 'K1', status: 'failed', attempts: 19, createdAt: '2026-12-04T08:00:00.000Z', lastStatusCode: 503 }
    request
      .mockResolvedValueOnce(ok({ items: [endpoint] }))
      .mockResolvedValueOnce(ok({ items: [failed] }))
      .mockResolvedValueOnce(ok({ ...failed, deliveryId: 'D2', status: 'pending', attempts: 0, redeliveryOf: 'D1' }, 202))
      .mockResolvedValueOnce(ok({ items: [{ ...failed, deliveryId: 'D2', status: 'pending', attempts: 0, redeliveryOf: 'D1', lastStatusCode: undefined, nextAttemptAt: '2026-12-04T09:00:00.000Z' }, failed] }))
      .mockResolvedValueOnce(ok({ deleted: true }))
      .mockResolvedValueOnce(ok({ items: [] }))
    render(<WebhookEndpoints />)
    fireEvent.click(await screen.findByText('投递记录'))
    expect(await screen.findByText('投递失败')).toBeInTheDocument()
    expect(screen.getByText(/HTTP 503 · 第 19 次/)).toBeInTheDocument()

    fireEvent.click(screen.getByText('重新投递'))
    expect(await screen.findByText('待投递')).toBeInTheDocument()
    expect(request).toHaveBeenNthCalledWith(3, expect.objectContaining({ url: '/api/companies/C1/webhooks/W1/deliveries/D1/redeliver', method: 'POST' }))
    expect(screen.getByText(/下次 12-04 17:00 · 手动重发/)).toBeInTheDocument()

    fireEvent.click(screen.getByText('删除'))
    fireEvent.click(screen.getByText('确认删除'))
    expect(await screen.findByText('还没有接收地址')).toBeInTheDocument()
    expect(request).toHaveBeenNthCalledWith(5, expect.objectContaining({ url: '/api/companies/C1/webhooks/W1', method: 'DELETE' }))
  })
})
