import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import Taro from '@tarojs/taro'
import TemplateListPage from '@/packages/templates/pages/list'
import UseTemplatePage from '@/packages/templates/pages/use'
import TemplateEditorPage from '@/packages/templates/pages/editor'

const request = jest.mocked(Taro.request)
const ok = (data: unknown, statusCode = 200) => ({ statusCode, data, header: {}, cookies: [], errMsg: 'request:ok' }) as never
const type = (id: string, value: string) => fireEvent.change(document.getElementById(id)!, { target: { value } })

const summary = { templateId: 'T1', companyId: 'C1', name: '劳动合同', latestVersion: 2, enabled: true, updatedAt: '2026-12-04T08:00:00.000Z', canManage: true, placeholderCount: 3, roleLabels: ['甲方', '乙方'] }
const template = {
  templateId: 'T1',
  companyId: 'C1',
  name: '劳动合同',
  version: 2,
  latestVersion: 2,
  enabled: true,
  documentId: 'd'.repeat(32),
  fileName: '劳动合同.pdf',
  pages: [{ width: 595, height: 842 }],
  roles: [
    { roleId: 'jia', label: '甲方', kind: 'company', sender: true },
    { roleId: 'yi', label: '乙方', kind: 'person' },
  ],
  fields: [],
  placeholders: [
    { key: '乙方姓名', page: 0, rect: [72, 700, 200, 20] },
    { key: '月薪', page: 0, rect: [72, 660, 160, 20], maxLength: 20 },
  ],
  createdAt: '2026-12-01T08:00:00.000Z',
  updatedAt: '2026-12-04T08:00:00.000Z',
  versions: [],
  canManage: false,
}

describe('template pages (packages/templates)', () => {
  beforeEach(() => {
    request.mockReset()
    jest.mocked(Taro.getStorageSync).mockReturnValue({ token: 'qy1.t.s', expiresAt: Date.now() + 3600_000 })
    jest.mocked(Taro.navigateTo).mockClear()
    jest.mocked(Taro.redirectTo).mockClear()
  })

  it('lists the company’s templates; an admin disables one and sees it marked 已停用', async () => {
    jest.mocked(Taro.useRouter).mockReturnValue({ params: { companyId: 'C1' }, path: '' } as never)
    request
      .mockResolvedValueOnce(ok({ items: [summary], canManage: true }))
      .mockResolvedValueOnce(ok({ ...template, enabled: false }))
      .mockResolvedValueOnce(ok({ items: [{ ...summary, enabled: false }], canManage: true }))
    render(<TemplateListPage />)
    expect(await screen.findByText('劳动合同')).toBeInTheDocument()
    expect(screen.getByText('第 2 版')).toBeInTheDocument()
    expect(screen.getByText(/甲方、乙方 · 3 个填写项/)).toBeInTheDocument()
    expect(request).toHaveBeenNthCalledWith(1, expect.objectContaining({ url: '/api/templates?companyId=C1&includeDisabled=true', method: 'GET' }))

    fireEvent.click(screen.getByText('使用'))
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/templates/pages/use/index?templateId=T1' })

    fireEvent.click(screen.getByText('停用'))
    expect(await screen.findByText('启用')).toBeInTheDocument()
    expect(screen.getAllByText('已停用').map((e) => e.className)).toEqual(expect.arrayContaining([expect.stringContaining('badge--off')]))
    expect(request).toHaveBeenNthCalledWith(2, expect.objectContaining({ url: '/api/templates/T1/enabled', method: 'POST', data: { enabled: false } }))
    expect(screen.queryByText('使用')).toBeNull()
  })

  it('a member sees no management buttons', async () => {
    jest.mocked(Taro.useRouter).mockReturnValue({ params: { companyId: 'C1' }, path: '' } as never)
    request.mockResolvedValueOnce(ok({ items: [{ ...summary, canManage: false }], canManage: false }))
    render(<TemplateListPage />)
    expect(await screen.findByText('劳动合同')).toBeInTheDocument()
    expect(screen.queryByText('新建模板')).toBeNull()
    expect(screen.queryByText('编辑')).toBeNull()
    expect(screen.queryByText('停用')).toBeNull()
  })

  it('use: fills the placeholders and the other party, creates the contract, sends it and opens it; a value too long shows the server’s Chinese reason', async () => {
    jest.mocked(Taro.useRouter).mockReturnValue({ params: { templateId: 'T1' }, path: '' } as never)
    request
      .mockResolvedValueOnce(ok(template))
      .mockResolvedValueOnce(ok({ error: { code: 'TEMPLATE_VALUE_TOO_LONG', message: '「月薪」的内容太长，放不进模板中的位置（3 行，最多 1 行）' } }, 400))
      .mockResolvedValueOnce(ok({ contractId: 'K1', status: 'draft' }, 201))
      .mockResolvedValueOnce(ok({ contractId: 'K1', status: 'sent' }))
    render(<UseTemplatePage />)
    expect(await screen.findByText('乙方（个人）')).toBeInTheDocument()
    expect(screen.getByText('甲方（企业）：发起方本人')).toBeInTheDocument()
    const send = () => screen.getByText('创建并发送')
    type('use-value-1', '很长很长的月薪说明')
    type('use-name-yi', '李华')
    type('use-phone-yi', '13900002003')
    fireEvent.click(send())
    expect(await screen.findByText(/「月薪」的内容太长/)).toBeInTheDocument()
    expect(request).toHaveBeenNthCalledWith(
      2,
      expect.objectContaining({
        url: '/api/templates/T1/contracts',
        method: 'POST',
        data: expect.objectContaining({ values: { 月薪: '很长很长的月薪说明' }, parties: { yi: { name: '李华', phone: '13900002003' } } }),
      }),
    )

    type('use-value-1', '8000 元/月')
    fireEvent.click(send())
    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/packages/contracts/pages/detail/index?contractId=K1' }))
    expect(request).toHaveBeenNthCalledWith(4, expect.objectContaining({ url: '/api/contracts/K1/send', method: 'POST' }))
  })

  it('editor: an admin drags a role field and a placeholder on the template’s page image, adds a placeholder, fine-adjusts it and saves a new version', async () => {
    jest.mocked(Taro.useRouter).mockReturnValue({ params: { companyId: 'C1', templateId: 'T1' }, path: '' } as never)
    const withField = { ...template, canManage: true, fields: [{ fieldId: 'f1', roleId: 'yi', kind: 'signature', page: 0, rect: [300, 100, 120, 50] }] }
    request.mockResolvedValueOnce(ok(withField)).mockResolvedValueOnce(ok({ ...template, version: 3, latestVersion: 3 }))
    render(<TemplateEditorPage />)
    expect(await screen.findByText(/当前第 2 版；保存后生成第 3 版/)).toBeInTheDocument()
    // The boxes are drawn on the template's page image: the role's field in its colour, the placeholders dashed.
    expect(screen.getAllByText('乙方签名').length).toBeGreaterThan(0)
    expect(document.getElementById('cf-f1')!.style.color).toBe('rgb(196, 22, 28)')
    expect(document.getElementById('cf-ph-0')!.className).toContain('cfield--placeholder')
    expect(screen.getAllByText('{{乙方姓名}}').length).toBeGreaterThan(0)
    expect(jest.mocked(Taro.downloadFile)).toHaveBeenCalledWith(expect.objectContaining({ url: expect.stringContaining('/api/templates/T1/pages/0?width=750&version=2') }))

    // 375-wide window: pages are 343 px wide, 595 pt → 595/343 pt per pixel.
    const s = 595 / 343
    const drag = (id: string, dx: number, dy: number) => {
      const el = document.getElementById(id)!
      fireEvent.touchStart(el, { touches: [{ clientX: 100, clientY: 100 }] })
      fireEvent.touchMove(el, { touches: [{ clientX: 100 + dx, clientY: 100 + dy }] })
      fireEvent.touchEnd(el, { changedTouches: [{ clientX: 100 + dx, clientY: 100 + dy }] })
    }
    drag('cf-f1', -50, -20)
    drag('cf-ph-1', 40, 30)
    fireEvent.click(screen.getByText('+ 填写项'))
    type('editor-placeholder-key-2', '{{入职日期}}')
    type('editor-selected-x', '72')
    type('editor-selected-y', '620')
    fireEvent.click(screen.getByText('保存为新版本'))
    await waitFor(() => expect(request).toHaveBeenCalledTimes(2))
    type Put = { url: string; method: string; data: { fields: Array<{ rect: number[] }>; placeholders: Array<{ key: string; page: number; rect: number[] }> } }
    const put = request.mock.calls[1]![0] as Put
    expect([put.url, put.method]).toEqual(['/api/templates/T1', 'PUT'])
    const near = (got: number[], want: number[]) => got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 1))
    near(put.data.fields[0]!.rect, [300 - 50 * s, 100 + 20 * s, 120, 50])
    expect(put.data.placeholders[0]).toEqual({ key: '乙方姓名', page: 0, rect: [72, 700, 200, 20] })
    near(put.data.placeholders[1]!.rect, [72 + 40 * s, 660 - 30 * s, 160, 20])
    expect(put.data.placeholders[2]).toEqual({ key: '入职日期', page: 0, rect: [72, 620, 160, 20] })
    await waitFor(() => expect(Taro.navigateBack).toHaveBeenCalled())
  })
})
