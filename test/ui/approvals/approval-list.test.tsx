import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import Taro from '@tarojs/taro'
import ApprovalList from '@/packages/approvals/pages/list'
import ApprovalPolicy from '@/packages/approvals/pages/policy'

const request = jest.mocked(Taro.request)
const ok = (data: unknown, statusCode = 200) => ({ statusCode, data, header: {}, cookies: [], errMsg: 'request:ok' }) as never

const progress = (status: 'pending' | 'approved') => ({
  round: 1,
  order: 'sequential',
  status: 'pending',
  requestedAt: '2026-12-04T08:00:00.000Z',
  approvers: [
    { userId: 'U1', name: '周审批', status, inTurn: status === 'pending', ...(status === 'approved' ? { decidedAt: '2026-12-04T09:00:00.000Z', comment: '可以' } : {}) },
    { userId: 'U2', name: '吴审批', status: 'pending', inTurn: status === 'approved' },
  ],
})
const item = (contractId: string, title: string, inTurn = true) => ({ contractId, title, senderName: '钱管理', round: 1, requestedAt: '2026-12-04T08:00:00.000Z', contractStatus: 'pending_approval', inTurn, progress: progress('pending') })

describe('合同审批 list page (packages/approvals/pages/list)', () => {
  beforeEach(() => {
    request.mockReset()
    jest.mocked(Taro.getStorageSync).mockReturnValue({ token: 'qy1.t.s', expiresAt: Date.now() + 3600_000 })
  })

  it('selects several, requires a comment to reject, approves them and names the one that failed', async () => {
    request
      .mockResolvedValueOnce(ok({ waiting: [item('K1', '采购合同'), item('K2', '劳动合同'), item('K3', '等待前序', false)], done: [] }))
      .mockResolvedValueOnce(
        ok({
          results: [
            { contractId: 'K1', ok: true, status: 'sent' },
            { contractId: 'K2', ok: false, error: { code: 'APPROVAL_ALREADY_DECIDED', message: 'already decided' } },
          ],
        }),
      )
      .mockResolvedValueOnce(ok({ waiting: [item('K3', '等待前序', false)], done: [{ ...item('K1', '采购合同', false), contractStatus: 'sent', myDecision: 'approved', progress: undefined }] }))
    render(<ApprovalList />)
    expect(await screen.findByText('采购合同')).toBeInTheDocument()
    expect(screen.getByText('待我审批 (3)')).toBeInTheDocument()
    // Only the ones in turn can be chosen.
    expect(document.getElementById('approvals-check-K3')).toBeNull()
    expect(screen.getByText('等待前序审批')).toBeInTheDocument()

    fireEvent.click(screen.getByText('全选（2 份）'))
    expect(screen.getByText('已选 2 份')).toBeInTheDocument()

    fireEvent.click(screen.getByText('驳回'))
    expect(await screen.findByText('驳回时请填写审批意见')).toBeInTheDocument()
    expect(request).toHaveBeenCalledTimes(1)

    fireEvent.click(screen.getByText('同意'))
    expect(await screen.findByText('已同意 1 份，1 份未处理')).toBeInTheDocument()
    expect(request).toHaveBeenNthCalledWith(2, expect.objectContaining({ url: '/api/approvals/decide', method: 'POST', data: { items: [{ contractId: 'K1', decision: 'approve' }, { contractId: 'K2', decision: 'approve' }] } }))
    expect(screen.getByText('「劳动合同」：您已审批过此合同')).toBeInTheDocument()

    fireEvent.click(screen.getByText('已审批 (1)'))
    expect(await screen.findByText('已同意')).toBeInTheDocument()
  })

  it('rejects the one chosen with the comment typed', async () => {
    request
      .mockResolvedValueOnce(ok({ waiting: [item('K1', '采购合同')], done: [] }))
      .mockResolvedValueOnce(ok({ results: [{ contractId: 'K1', ok: true, status: 'draft' }] }))
      .mockResolvedValueOnce(ok({ waiting: [], done: [] }))
    render(<ApprovalList />)
    fireEvent.click(await screen.findByText('采购合同'))
    fireEvent.input(document.getElementById('approvals-comment')!, { target: { value: '金额需要复核' }, detail: { value: '金额需要复核' } })
    fireEvent.click(screen.getByText('驳回'))
    expect(await screen.findByText('已驳回 1 份')).toBeInTheDocument()
    expect(request).toHaveBeenNthCalledWith(2, expect.objectContaining({ data: { items: [{ contractId: 'K1', decision: 'reject', comment: '金额需要复核' }] } }))
    expect(await screen.findByText('没有待您审批的合同')).toBeInTheDocument()
  })
})

describe('审批设置 page (packages/approvals/pages/policy)', () => {
  beforeEach(() => {
    request.mockReset()
    jest.mocked(Taro.getStorageSync).mockReturnValue({ token: 'qy1.t.s', expiresAt: Date.now() + 3600_000 })
    jest.mocked(Taro.useRouter).mockReturnValue({ params: { companyId: 'C1' }, path: '' } as never)
  })

  it('turns approval on for all contracts with two approvers in order', async () => {
    const members = [
      { userId: 'U1', name: '周审批', role: 'operator', joinedAt: '2026-12-01T00:00:00.000Z' },
      { userId: 'U2', name: '吴审批', role: 'operator', joinedAt: '2026-12-01T00:00:00.000Z' },
    ]
    request
      .mockResolvedValueOnce(ok({ companyId: 'C1', scope: 'off', templateIds: [], order: 'sequential', approvers: [] }))
      .mockResolvedValueOnce(ok(members))
      .mockResolvedValueOnce(ok({ items: [], canManage: true }))
      .mockResolvedValueOnce(ok({ companyId: 'C1', scope: 'all', templateIds: [], order: 'sequential', approvers: [{ userId: 'U2', name: '吴审批' }, { userId: 'U1', name: '周审批' }] }))
    render(<ApprovalPolicy />)
    fireEvent.click(await screen.findByText('全部合同'))
    fireEvent.click(screen.getByText('+ 周审批'))
    fireEvent.click(screen.getByText('+ 吴审批'))
    fireEvent.click(screen.getByText('上移'))
    fireEvent.click(screen.getByText('保存'))
    expect(await screen.findByText('审批设置已保存')).toBeInTheDocument()
    await waitFor(() =>
      expect(request).toHaveBeenNthCalledWith(4, expect.objectContaining({ url: '/api/companies/C1/approval-policy', method: 'PUT', data: { scope: 'all', order: 'sequential', approvers: ['U2', 'U1'], templateIds: [] } })),
    )
  })

  it('指定模板: the templates are picked from the company’s list (a disabled one marked), not typed; a deleted one can be removed', async () => {
    const members = [{ userId: 'U1', name: '周审批', role: 'operator', joinedAt: '2026-12-01T00:00:00.000Z' }]
    const summary = (templateId: string, name: string, enabled = true) => ({ templateId, companyId: 'C1', name, latestVersion: 1, enabled, updatedAt: '2026-12-04T08:00:00.000Z', canManage: true, placeholderCount: 0, roleLabels: ['甲方'] })
    request
      .mockResolvedValueOnce(ok({ companyId: 'C1', scope: 'templates', templateIds: ['GONE'], order: 'sequential', approvers: [{ userId: 'U1', name: '周审批' }] }))
      .mockResolvedValueOnce(ok(members))
      .mockResolvedValueOnce(ok({ items: [summary('T1', '劳动合同'), summary('T2', '采购合同'), summary('T3', '旧合同', false)], canManage: true }))
      .mockResolvedValueOnce(ok({ companyId: 'C1', scope: 'templates', templateIds: ['T2'], order: 'sequential', approvers: [{ userId: 'U1', name: '周审批' }] }))
    render(<ApprovalPolicy />)
    expect(await screen.findByText('劳动合同')).toBeInTheDocument()
    expect(request).toHaveBeenNthCalledWith(3, expect.objectContaining({ url: '/api/templates?companyId=C1&includeDisabled=true', method: 'GET' }))
    expect(screen.getByText('旧合同（已停用）')).toBeInTheDocument()
    expect(screen.queryByPlaceholderText('多个模板编号用逗号分隔')).toBeNull()
    expect(screen.getByText('需要审批的模板（已选 1 个）')).toBeInTheDocument()
    fireEvent.click(screen.getByText('✓ 已删除的模板（点击移除）'))
    fireEvent.click(screen.getByText('采购合同'))
    expect(document.getElementById('policy-template-T2')!.className).toContain('approvals__option--on')
    expect(document.getElementById('policy-template-T1')!.className).not.toContain('approvals__option--on')
    fireEvent.click(screen.getByText('保存'))
    expect(await screen.findByText('审批设置已保存')).toBeInTheDocument()
    expect(request).toHaveBeenNthCalledWith(4, expect.objectContaining({ url: '/api/companies/C1/approval-policy', method: 'PUT', data: { scope: 'templates', order: 'sequential', approvers: ['U1'], templateIds: ['T2'] } }))
  })
})
