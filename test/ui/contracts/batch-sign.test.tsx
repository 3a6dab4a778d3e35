import '@testing-library/jest-dom'
import { act, fireEvent, render, screen } from '@testing-library/react'
import Taro from '@tarojs/taro'
import type { BatchPreviewItem, BatchSignItem, ContractSummary } from '@api/contracts.types'
import BatchSign from '@/packages/signing/pages/batch'
import ContractList from '@/packages/contracts/pages/list'

const request = jest.mocked(Taro.request)
const ok = (data: unknown, statusCode = 200) => ({ statusCode, data, header: {}, cookies: [], errMsg: 'request:ok' }) as never
const type = (id: string, value: string) => fireEvent.change(document.getElementById(id)!, { target: { value } })
const H = 'a'.repeat(64)

const PREVIEW: BatchPreviewItem[] = [
  { contractId: 'c1', title: '劳动合同（张三）', senderName: '华南示例科技有限公司', deadline: '2026-12-12T15:59:59Z', signerId: 'B', partyKind: 'person', documentHash: H, ready: true },
  { contractId: 'c2', title: '保密协议', senderName: '华南示例科技有限公司', deadline: '2026-12-12T15:59:59Z', signerId: 'B', partyKind: 'person', documentHash: H, ready: false, error: { code: 'FIELD_VALUE_INVALID', message: '该合同需要您填写内容，请打开合同单独签署' } },
  { contractId: 'c3', title: '竞业协议', senderName: '华南示例科技有限公司', deadline: '2026-12-12T15:59:59Z', signerId: 'B', partyKind: 'person', documentHash: H, ready: true },
]

type Call = { url: string; method: string; data?: Record<string, unknown>; header?: Record<string, string> }

/** The server as the batch page calls it; the batch-sign answers come from `signs` in order (a promise holds one back). */
function serve(signs: Array<BatchSignItem | Promise<BatchSignItem>>) {
  const queue = [...signs]
  request.mockImplementation(((o: Call) => {
    if (o.url === '/api/contracts/batch-sign/preview') return Promise.resolve(ok({ items: PREVIEW }))
    if (o.url === '/api/seals/personal') return Promise.resolve(ok({ signatures: [{ signatureId: 'SIG1', kind: 'handwriting', imagePath: '/api/seals/personal/SIG1/image', createdAt: '2026-12-01T00:00:00Z' }] }))
    if (o.url === '/api/signing/intent/batches/sms-codes') return Promise.resolve(ok({ maskedPhone: '139****2002', expiresInSeconds: 300, resendAfterSeconds: 60, sandbox: false }, 202))
    if (o.url === '/api/signing/intent/batches') return Promise.resolve(ok({ batchId: 'BATCH1', proofHash: H, method: 'sms', confirmedAt: '', expiresAt: '', items: [] }, 201))
    if (o.url === '/api/contracts/batch-sign') {
      const next = queue.shift()!
      return Promise.resolve(next).then((item) => ok({ batchId: 'BATCH1', items: [item], signed: item.status === 'signed' ? 1 : 0, failed: item.status === 'failed' ? 1 : 0 }))
    }
    return Promise.resolve(ok({ error: { code: 'NOT_FOUND', message: '未找到' } }, 404))
  }) as never)
}

const session = () => jest.mocked(Taro.getStorageSync).mockImplementation(((key: string) => (key === 'qianyue.session' ? { token: 'qy1.x.y', expiresAt: Date.now() + 3_600_000 } : '')) as never)

describe('批量签署 page (packages/signing/pages/batch)', () => {
  beforeEach(() => {
    request.mockReset()
    jest.mocked(Taro.useRouter).mockReturnValue({ params: { ids: 'c1,c2,c3' }, path: '' } as never)
    session()
  })

  it('lists the chosen contracts (one refused with its reason), takes one signature and ONE code for the ready ones, shows progress, then each outcome', async () => {
    let release: (item: BatchSignItem) => void = () => undefined
    const held = new Promise<BatchSignItem>((resolve) => (release = resolve))
    serve([{ contractId: 'c1', status: 'signed', documentSha256: H }, held])
    render(<BatchSign />)

    expect(await screen.findByText('共选择 3 份，可批量签署 2 份')).toBeInTheDocument()
    expect(screen.getByText('该合同需要您填写内容，请打开合同单独签署')).toBeInTheDocument()
    expect(await screen.findByText('选择签名（用于以上全部合同）')).toBeInTheDocument()
    expect(document.getElementById('batch-sig-SIG1')).toHaveClass('choice--on')

    fireEvent.click(screen.getByText('批量签署（2 份）'))
    expect(await screen.findByText('意愿认证（一次确认 2 份）')).toBeInTheDocument()
    fireEvent.click(screen.getByText('获取验证码'))
    expect(await screen.findByText(/验证码已发送至 139\*\*\*\*2002/)).toBeInTheDocument()
    // The code is asked for the ready contracts only, each with its party and document hash.
    const sent = request.mock.calls.map(([o]) => o as unknown as Call).find((o) => o.url === '/api/signing/intent/batches/sms-codes')!
    expect(sent.data).toEqual({ items: [{ contractId: 'c1', signerId: 'B', documentHash: H }, { contractId: 'c3', signerId: 'B', documentHash: H }] })

    type('batch-code', '123456')
    fireEvent.click(screen.getByText('确认并签署 2 份'))
    // The first is signed, the second still under way: the bar says so.
    expect(await screen.findByText('正在签署 1/2')).toBeInTheDocument()
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '1')
    await act(async () => release({ contractId: 'c3', status: 'failed', error: { code: 'CONTRACT_CLOSED', message: '合同已被撤销，不能签署', status: 409 } }))

    expect(await screen.findByText('批量签署已结束')).toBeInTheDocument()
    expect(screen.getByText('已签署 1 份，未签署 2 份')).toBeInTheDocument()
    expect(document.getElementById('batch-outcome-c1')).toHaveTextContent('✓ 已签署')
    expect(document.getElementById('batch-outcome-c3')).toHaveTextContent('未签署')
    expect(document.getElementById('batch-reason-c3')).toHaveTextContent('合同已被撤销，不能签署')
    // Each contract went in its own call with the batch's proof, the signature chosen once, and its own Idempotency-Key.
    const signs = request.mock.calls.map(([o]) => o as unknown as Call).filter((o) => o.url === '/api/contracts/batch-sign')
    expect(signs.map((o) => o.data)).toEqual([
      { batchId: 'BATCH1', contractIds: ['c1'], signatureId: 'SIG1' },
      { batchId: 'BATCH1', contractIds: ['c3'], signatureId: 'SIG1' },
    ])
    expect(new Set(signs.map((o) => o.header?.['Idempotency-Key'])).size).toBe(2)
  })

  it('without any contract chosen, says so in Chinese and asks nothing of the server', async () => {
    jest.mocked(Taro.useRouter).mockReturnValue({ params: {}, path: '' } as never)
    render(<BatchSign />)
    expect(await screen.findByText('没有选择要批量签署的合同，请回到合同列表选择')).toBeInTheDocument()
    expect(request).not.toHaveBeenCalled()
    fireEvent.click(screen.getByText('去待我签署的合同'))
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/packages/contracts/pages/list/index?box=todo' })
  })
})

const summary = (contractId: string, senderName: string, myTurn: boolean): ContractSummary => ({
  contractId,
  title: `合同 ${contractId}`,
  status: 'sent',
  senderName,
  createdAt: '2026-12-01T02:00:00Z',
  deadline: '2026-12-12T15:59:59Z',
  parties: [{ name: '吴批签', role: 'signer', status: 'viewed' }],
  myTurn,
  isSender: false,
  signedCount: 0,
  signerCount: 1,
})

describe('contract list: select mode for 批量签署', () => {
  beforeEach(() => {
    request.mockReset()
    jest.mocked(Taro.navigateTo).mockClear()
    jest.mocked(Taro.useRouter).mockReturnValue({ params: {}, path: '' } as never)
    session()
    request.mockResolvedValueOnce(ok({ items: [summary('k1', '甲公司', true), summary('k2', '乙公司', true), summary('k3', '甲公司', true), summary('k4', '甲公司', false)] }))
  })

  it('checkboxes on the contracts waiting for me; 选择此发起方的全部 and 全选; the batch page opens with the chosen ids', async () => {
    render(<ContractList />)
    fireEvent.click(await screen.findByText('批量签署'))
    // Only my turn gets a checkbox.
    expect(document.getElementById('select-k1')).toBeInTheDocument()
    expect(document.getElementById('select-k4')).toBeNull()
    fireEvent.click(document.getElementById('select-sender-k1')!)
    expect(screen.getByText('已选 2 份')).toBeInTheDocument()
    expect(document.getElementById('select-k3')).toHaveAttribute('aria-checked', 'true')
    expect(document.getElementById('select-k2')).toHaveAttribute('aria-checked', 'false')
    // Tapping a card in select mode toggles it instead of opening it.
    fireEvent.click(document.getElementById('contract-k3')!)
    expect(screen.getByText('已选 1 份')).toBeInTheDocument()
    fireEvent.click(screen.getByText('全选'))
    expect(screen.getByText('已选 3 份')).toBeInTheDocument()
    fireEvent.click(document.getElementById('list-batch-go')!.querySelector('button') ?? document.getElementById('list-batch-go')!)
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/signing/pages/batch/index?ids=k1,k2,k3' })
    expect(request).toHaveBeenCalledTimes(1)
  })
})
