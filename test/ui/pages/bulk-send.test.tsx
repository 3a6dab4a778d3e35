import '@testing-library/jest-dom'
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import Taro from '@tarojs/taro'
import BulkSend from '@/packages/bulk/pages/send'
import { pickSheet } from '@/services/platform/pick-sheet'

jest.mock('@/services/platform/pick-sheet', () => ({ pickSheet: jest.fn(), pickSheetHint: '从电脑或手机选择文件' }))

const picked = jest.mocked(pickSheet)
const request = jest.mocked(Taro.request)
const upload = jest.fn()
;(Taro as unknown as { uploadFile: typeof upload }).uploadFile = upload
const ok = (data: unknown, statusCode = 200) => ({ statusCode, data, header: {}, cookies: [], errMsg: 'request:ok' }) as never
const uploaded = (data: unknown, statusCode = 200) => ({ statusCode, data: JSON.stringify(data), errMsg: 'uploadFile:ok' })

const preview = {
  templateId: 'T1',
  fileSha256: 'a'.repeat(64),
  kind: 'csv',
  columns: ['月薪', '乙方姓名', '乙方手机'],
  missingColumns: [],
  totalRows: 3,
  validRows: 2,
  invalidRows: 1,
  firstRows: [
    { rowNumber: 2, cells: { 月薪: '8000', 乙方姓名: '张三', 乙方手机: '138****5678' } },
    { rowNumber: 3, cells: { 月薪: '9000', 乙方姓名: '李四', 乙方手机: '139****5678' } },
  ],
  problems: [{ rowNumber: 4, problems: [{ column: '乙方手机', reason: 'PHONE_INVALID', message: '「乙方手机」不是 11 位中国大陆手机号' }] }],
}
const counts = (sent: number) => ({ total: 3, pending: 2 - sent, sent, failed: 0, invalid: 1 })
const job = (sent: number, status: string) => ({ jobId: 'bulk_' + '1'.repeat(24), templateId: 'T1', fileSha256: 'a'.repeat(64), fileName: '名单.csv', status, createdAt: '2026-12-04T08:00:00.000Z', counts: counts(sent) })

/**
 * Taps 选择表格 once the page's first load has finished (the button ignores taps while the page is
 * busy, and how long the load takes depends on the machine): until the file picker is asked.
 */
const chooseSheet = () =>
  waitFor(() => {
    fireEvent.click(screen.getByText('选择表格'))
    expect(picked).toHaveBeenCalledTimes(1)
  })

describe('bulk send page (packages/bulk/pages/send)', () => {
  beforeEach(() => {
    request.mockReset()
    upload.mockReset()
    picked.mockReset()
    jest.mocked(Taro.getStorageSync).mockReturnValue({ token: 'qy1.t.s', expiresAt: Date.now() + 3600_000 })
    jest.mocked(Taro.useRouter).mockReturnValue({ params: { templateId: 'T1' }, path: '' } as never)
    picked.mockResolvedValue({ filePath: 'blob:sheet', name: '名单.csv', size: 100 })
  })

  it('previews the sheet with every bad row, confirms, and follows the job to its end with per-row results', async () => {
    request
      .mockResolvedValueOnce(ok({ items: [] }))
      .mockResolvedValueOnce(ok({ job: job(1, 'running'), rows: [{ rowNumber: 2, state: 'sent', recipients: ['乙方 张三 138****5678'], contractId: 'K1' }] }))
      .mockResolvedValueOnce(
        ok({
          job: job(2, 'done'),
          rows: [
            { rowNumber: 2, state: 'sent', recipients: ['乙方 张三 138****5678'], contractId: 'K1' },
            { rowNumber: 3, state: 'sent', recipients: ['乙方 李四 139****5678'], contractId: 'K2' },
            { rowNumber: 4, state: 'invalid', recipients: ['乙方 王五'], problems: preview.problems[0]!.problems },
          ],
        }),
      )
      .mockResolvedValueOnce(ok({ items: [job(2, 'done')] }))
    upload.mockResolvedValueOnce(uploaded(preview)).mockResolvedValueOnce(uploaded(job(0, 'queued'), 201))

    render(<BulkSend />)
    await chooseSheet()
    expect(await screen.findByText(/第 4 行：「乙方手机」不是 11 位中国大陆手机号/)).toBeInTheDocument()
    expect(upload).toHaveBeenNthCalledWith(1, expect.objectContaining({ url: '/api/bulk-sends/preview', filePath: 'blob:sheet', name: 'file', formData: expect.objectContaining({ templateId: 'T1' }) }))
    expect(screen.getByText('张三')).toBeInTheDocument()

    await act(async () => {
      fireEvent.click(screen.getByText('确认发送 2 份'))
    })
    expect(upload).toHaveBeenNthCalledWith(2, expect.objectContaining({ url: '/api/bulk-sends', formData: expect.objectContaining({ templateId: 'T1', deadline: expect.any(String) }) }))
    expect(await screen.findByText('正在发送…')).toBeInTheDocument()
    expect(screen.getByText(/67% · 已发送 1/)).toBeInTheDocument()

    // The page polls every 1.5 s until the job is done.
    expect(await screen.findByText('发送完成', undefined, { timeout: 4000 })).toBeInTheDocument()
    expect(screen.getByText(/100% · 已发送 2 · 失败 0 · 数据有误 1/)).toBeInTheDocument()
    expect(screen.getByText('数据有误')).toBeInTheDocument()
    expect(screen.getByText('合同 K2')).toBeInTheDocument()
  })

  it('a file already sent with this template offers the existing job instead of sending again', async () => {
    request.mockResolvedValueOnce(ok({ items: [] })).mockResolvedValueOnce(ok({ job: job(2, 'done'), rows: [] })).mockResolvedValueOnce(ok({ items: [job(2, 'done')] }))
    upload.mockResolvedValueOnce(uploaded({ ...preview, existingJobId: job(2, 'done').jobId }))
    render(<BulkSend />)
    await chooseSheet()
    expect(await screen.findByText('这个文件已经用该模板发送过，不会重复发送。')).toBeInTheDocument()
    expect(screen.queryByText(/确认发送/)).not.toBeInTheDocument()
    await act(async () => {
      fireEvent.click(screen.getByText('查看已有任务'))
    })
    expect(await screen.findByText('发送完成')).toBeInTheDocument()
    expect(upload).toHaveBeenCalledTimes(1)
  })

  it('shows the server’s Chinese reason when the file is refused', async () => {
    request.mockResolvedValueOnce(ok({ items: [] }))
    upload.mockResolvedValueOnce(uploaded({ error: { code: 'NOT_A_SPREADSHEET', message: '文件不是 CSV 或 XLSX 表格' } }, 415))
    render(<BulkSend />)
    await chooseSheet()
    await act(async () => undefined)
    expect(await screen.findByText('文件不是 CSV 或 XLSX 表格')).toBeInTheDocument()
  })
})
