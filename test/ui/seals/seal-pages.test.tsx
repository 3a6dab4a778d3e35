import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import Taro, { useRouter } from '@tarojs/taro'
import type { SealListResponse, SealRequestListResponse } from '@api/seals.types'
import SealList from '@/packages/seals/pages/list'
import GenerateSeal from '@/packages/seals/pages/generate'
import SealApproval from '@/packages/seals/pages/approval'
import Handwriting from '@/packages/seals/pages/handwriting'
import { StrokeRecorder } from '@/packages/seals/lib/stroke-recorder'
import { toBase64 } from '@/services/seals-api'

const request = jest.mocked(Taro.request)
const router = jest.mocked(useRouter)
const ok = (data: unknown, statusCode = 200) => ({ statusCode, data, header: {}, cookies: [], errMsg: 'request:ok' }) as never
const PNG_BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47]).buffer

beforeAll(() => {
  // APIs the shared stub does not provide.
  Object.assign(Taro, { uploadFile: jest.fn(), chooseImage: jest.fn() })
})
beforeEach(() => {
  request.mockReset()
  // The one session service's key: the seals pages once read another key and got 请先登录.
  jest.mocked(Taro.getStorageSync).mockImplementation(((key: string) => (key === 'qianyue.session' ? { token: 'token-1', expiresAt: Date.now() + 3600_000 } : '')) as never)
  router.mockReturnValue({ params: { companyId: 'acme' }, path: '' } as never)
})

const SEALS: SealListResponse = {
  seals: [
    { sealId: 's1', companyId: 'acme', name: '合同专用章', kind: 'company-round', sealType: '合同专用章', status: 'active', width: 800, height: 800, createdBy: 'u1', createdAt: '2026-11-30T00:00:00Z', version: 1, imagePath: '/api/seals/companies/acme/seals/s1/image' },
    { sealId: 's2', companyId: 'acme', name: '财务章（扫描）', kind: 'uploaded', status: 'disabled', width: 500, height: 500, createdBy: 'u1', createdAt: '2026-11-30T00:00:00Z', version: 2, imagePath: '/api/seals/companies/acme/seals/s2/image' },
  ],
}

const COMPANY = { companyId: 'acme', name: '上海示例信息技术有限公司', legalRepName: '王五', status: 'verified', myRole: 'admin', creditCode: 'x', maskedLegalRepIdNumber: 'x', microDepositAvailable: false }
const MEMBERS = [
  { userId: 'admin', name: '王五', role: 'admin', joinedAt: '2026-11-30T00:00:00Z' },
  { userId: 'op', name: '赵六', role: 'operator', maskedPhone: '139****5678', joinedAt: '2026-11-30T00:00:00Z' },
]
/** Answers by URL, as the server would. */
const serve = (extra: (url: string) => unknown = () => undefined) =>
  request.mockImplementation(((o: { url: string }) => {
    const answer = extra(o.url)
    if (answer !== undefined) return Promise.resolve(answer)
    if (o.url === '/api/identity/companies/acme') return Promise.resolve(ok(COMPANY))
    if (o.url === '/api/identity/companies/acme/members') return Promise.resolve(ok(MEMBERS))
    if (o.url.endsWith('/seals')) return Promise.resolve(ok(SEALS))
    if (o.url.endsWith('/personal')) return Promise.resolve(ok({ signatures: [] }))
    return Promise.resolve(ok(PNG_BYTES))
  }) as never)

describe('seals subpackage pages', () => {
  it('印章管理 lists the company seals with their images, sending the session token', async () => {
    // Prepare
    serve()

    // Act
    render(<SealList />)

    // Assess
    expect(await screen.findByText('合同专用章')).toBeInTheDocument()
    expect(screen.getByText('上传的印章（已停用）')).toBeInTheDocument()
    expect(request).toHaveBeenCalledWith(expect.objectContaining({ url: '/api/seals/companies/acme/seals', method: 'GET', header: expect.objectContaining({ Authorization: 'Bearer token-1' }) }))
    await waitFor(() => expect(request).toHaveBeenCalledWith(expect.objectContaining({ url: '/api/seals/companies/acme/seals/s1/image', responseType: 'arraybuffer' })))
    fireEvent.click(screen.getAllByText('授权成员')[0]!)
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/seals/pages/authorise/index?companyId=acme&sealId=s1' })
  })

  it('制作印章 previews the spec, then saves it; a refused spec shows the server message', async () => {
    serve((url) => (url === '/api/seals/preview' ? ok(PNG_BYTES) : url === '/api/seals/companies/acme/seals' && request.mock.calls.length > 2 ? ok({ ...SEALS.seals[0] }, 201) : undefined))
    const { container } = render(<GenerateSeal />)
    // The company's verified name, filled in and locked: there is no input for it.
    expect(await screen.findByText('上海示例信息技术有限公司')).toHaveAttribute('id', 'seal-company-name')
    expect(container.querySelector('#company-name')).toBeNull()
    fireEvent.change(container.querySelector('#seal-code')!, { target: { value: '3101150012345' } })
    fireEvent.click(screen.getByText('预览'))
    await waitFor(() => expect(container.querySelector('#seal-preview')).toHaveAttribute('src', 'data:image/png;base64,iVBORw=='))
    expect(request).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/api/seals/preview', method: 'POST', data: { kind: 'company-round', companyName: '上海示例信息技术有限公司', sealType: '合同专用章', code: '3101150012345' } }),
    )
    fireEvent.click(screen.getByText('保存印章'))
    expect(await screen.findByText('印章已保存')).toBeInTheDocument()
    expect(request).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/api/seals/companies/acme/seals', method: 'POST', data: { spec: expect.objectContaining({ kind: 'company-round' }) } }))

    // A refused spec: the JSON error arrives as bytes.
    const body = Buffer.from(JSON.stringify({ error: { code: 'VALIDATION_FAILED', message: '单位名称应为 2–40 个字（当前 1 个）' } }), 'utf8')
    request.mockResolvedValue(ok(body.buffer.slice(body.byteOffset, body.byteOffset + body.length), 400))
    fireEvent.click(screen.getByText('预览'))
    expect(await screen.findByText('单位名称应为 2–40 个字（当前 1 个）')).toBeInTheDocument()
  })

  it('制作个人名章 shows the verified name, locked, and saves only the layout: the server takes the name', async () => {
    router.mockReturnValue({ params: {}, path: '' } as never)
    serve((url) => {
      if (url === '/api/auth/me') return ok({ userId: 'u1', realName: 'verified', name: '张三' })
      if (url === '/api/seals/preview') return ok(PNG_BYTES)
      if (url === '/api/seals/personal') return ok({ signatureId: 'p1', kind: 'personal-seal', name: '张三', width: 360, height: 360, createdAt: '2026-11-30T00:00:00Z', imagePath: '/api/seals/personal/p1/image' }, 201)
      return undefined
    })
    const { container } = render(<GenerateSeal />)
    expect(await screen.findByText('张三')).toHaveAttribute('id', 'seal-person-name')
    expect(container.querySelector('#person-name')).toBeNull()
    fireEvent.click(screen.getByText('四字（2×2）'))
    fireEvent.click(screen.getByText('预览'))
    await waitFor(() => expect(container.querySelector('#seal-preview')).not.toBeNull())
    expect(request).toHaveBeenCalledWith(expect.objectContaining({ url: '/api/seals/preview', method: 'POST', data: { kind: 'personal-square', name: '张三', layout: '2x2' } }))
    fireEvent.click(screen.getByText('保存印章'))
    expect(await screen.findByText('印章已保存')).toBeInTheDocument()
    expect(request).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/api/seals/personal', method: 'POST', data: { layout: '2x2' } }))
  })

  it('制作个人名章 before real-name verification leads to it: no name input, nothing to preview', async () => {
    router.mockReturnValue({ params: {}, path: '' } as never)
    serve((url) => (url === '/api/auth/me' ? ok({ userId: 'u1', realName: 'checked' }) : undefined))
    const { container } = render(<GenerateSeal />)
    fireEvent.click(await screen.findByText('去实名认证'))
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/identity/pages/person/index' })
    expect(container.querySelector('#person-name')).toBeNull()
    expect(container.querySelector('#seal-person-name')).toBeNull()
    expect(screen.getByText('预览').closest('button')).toHaveAttribute('aria-disabled', 'true')
  })

  it('用印审批 lists pending requests and approves one', async () => {
    const list: SealRequestListResponse = {
      requests: [{ requestId: 'r1', companyId: 'acme', sealId: 's1', contractId: 'k1', requesterId: 'op', reason: '采购合同', status: 'pending', createdAt: '2026-11-30T00:00:00Z' }],
    }
    serve((url) => (url.endsWith('/approve') ? ok({ ...list.requests[0], status: 'approved' }) : url.includes('/requests') ? ok(list) : undefined))
    render(<SealApproval />)
    expect(await screen.findByText('事由：采购合同')).toBeInTheDocument()
    // Names, not ids: the seal's name and the applicant's.
    expect(await screen.findByText('申请人：赵六')).toBeInTheDocument()
    expect(screen.getByText('合同专用章')).toBeInTheDocument()
    expect(screen.queryByText(/op|k1/)).toBeNull()
    fireEvent.click(screen.getByText('批准'))
    expect(await screen.findByText('已批准')).toBeInTheDocument()
    expect(request).toHaveBeenCalledWith(expect.objectContaining({ url: '/api/seals/companies/acme/requests/r1/approve', method: 'POST' }))
  })

  it('手写签名 asks for a signature before saving an empty pad', async () => {
    render(<Handwriting />)
    fireEvent.click(screen.getByText('保存签名'))
    expect(await screen.findByText('请先在上方书写签名')).toBeInTheDocument()
    expect(request).not.toHaveBeenCalled()
  })
})

describe('StrokeRecorder', () => {
  it('toBase64 matches Node', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 255]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + 13) & 255)
      expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'))
    }
  })

  it('records strokes relative to the first touch, clamps to the canvas, drops jitter, keeps pressure', () => {
    const r = new StrokeRecorder(300, 150)
    r.begin(10, 10, 1000, 0.5)
    r.move(10.2, 10.1, 1005) // < 0.5 px: dropped
    r.move(20, 15, 1016)
    r.begin(400, -5, 1100)
    expect(r.toRequest()).toEqual({
      width: 300,
      height: 150,
      strokes: [
        [
          { x: 10, y: 10, t: 0, p: 0.5 },
          { x: 20, y: 15, t: 16 },
        ],
        [{ x: 300, y: 0, t: 100 }],
      ],
    })
    r.clear()
    expect(r.isEmpty).toBe(true)
  })
})
