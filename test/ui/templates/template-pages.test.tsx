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

  it('editor: an admin adds a placeholder to an existing template and saves it as a new version', async () => {
    jest.mocked(Taro.useRouter).mockReturnValue({ params: { companyId: 'C1', templateId: 'T1' }, path: '' } as never)
    request.mockResolvedValueOnce(ok({ ...template, canManage: true })).mockResolvedValueOnce(ok({ ...template, version: 3, latestVersion: 3 }))
    render(<TemplateEditorPage />)
    expect(await screen.findByText(/当前第 2 版；保存后生成第 3 版/)).toBeInTheDocument()
    fireEvent.click(screen.getByText('+ 添加填写项'))
    type('editor-placeholder-key-2', '{{入职日期}}')
    type('editor-placeholder-2-page', '1')
    type('editor-placeholder-2-y', '620')
    fireEvent.click(screen.getByText('保存为新版本'))
    await waitFor(() => expect(request).toHaveBeenCalledTimes(2))
    const put = request.mock.calls[1]![0] as { url: string; method: string; data: { placeholders: Array<{ key: string; page: number; rect: number[] }> } }
    expect([put.url, put.method]).toEqual(['/api/templates/T1', 'PUT'])
    expect(put.data.placeholders[2]).toEqual({ key: '入职日期', page: 0, rect: [72, 620, 200, 20] })
    await waitFor(() => expect(Taro.navigateBack).toHaveBeenCalled())
  })
})
