import '@testing-library/jest-dom'
import { fireEvent, render, screen } from '@testing-library/react'
import Taro from '@tarojs/taro'
import Verify from '@/packages/verification/pages/index'
import { pickPdf } from '@/services/platform/pick-pdf'
import { report, signature } from './fixtures'

jest.mock('@/services/platform/pick-pdf', () => ({ pickPdf: jest.fn() }))

const picked = jest.mocked(pickPdf)
const upload = jest.fn()
;(Taro as unknown as { uploadFile: typeof upload }).uploadFile = upload

describe('verify page (packages/verification)', () => {
  beforeEach(() => {
    picked.mockReset()
    upload.mockReset()
    picked.mockResolvedValue({ filePath: 'blob:contract', name: '合同.pdf', size: 1000 })
  })

  it('uploads the chosen PDF as multipart `file` and shows a valid verdict and the signature list; a tap opens the detail', async () => {
    // Prepare
    const body = report([signature(), signature({ field: '乙方签字', signer: '李四' })])
    upload.mockResolvedValue({ statusCode: 200, data: JSON.stringify(body), errMsg: 'uploadFile:ok' })

    // Act
    render(<Verify />)
    fireEvent.click(screen.getByText('选择 PDF 文件'))

    // Assess
    expect(await screen.findByText('✓ 文档有效')).toHaveAttribute('id', 'verify-verdict')
    expect(upload).toHaveBeenCalledWith(expect.objectContaining({ url: '/api/verify', filePath: 'blob:contract', name: 'file' }))
    expect(screen.getByText('共 2 个签名（点击查看详情）')).toBeInTheDocument()
    expect(screen.getByText('签名 2：李四（2026-11-30）')).toBeInTheDocument()
    expect(screen.queryByText('签名 2：李四')).not.toBeInTheDocument()
    fireEvent.click(screen.getByText('签名 2：李四（2026-11-30）'))
    expect(screen.getByText('签名 2：李四')).toBeInTheDocument()
    expect(screen.getByText('乙方签字')).toBeInTheDocument()
  })

  it('dates each signature in the list by its Beijing day (a time-stamp at 17:00 UTC is the next day in China)', async () => {
    const late = '2026-11-30T17:00:00.000Z'
    const body = report([signature({ timestamp: { time: late, valid: true, trusted: true, authority: 'Qianyue Time Stamping Authority 1' }, claimedSigningTime: late })])
    upload.mockResolvedValue({ statusCode: 200, data: JSON.stringify(body), errMsg: 'uploadFile:ok' })
    render(<Verify />)
    fireEvent.click(screen.getByText('选择 PDF 文件'))
    expect(await screen.findByText('签名 1：张三（2026-12-01）')).toBeInTheDocument()
  })

  it('names the company first for a company seal (a certificate with an organisation), not for a time-stamp', async () => {
    const company = signature({ signer: '周九', certificate: { ...signature().certificate!, subject: 'CN=周九, O=沙箱周九贸易有限公司, C=CN', organization: '沙箱周九贸易有限公司' } })
    const stamp = signature({ signer: 'Qianyue Time Stamping Authority 1', kind: 'document-timestamp', certificate: { ...signature().certificate!, organization: 'Qianyue' } })
    upload.mockResolvedValue({ statusCode: 200, data: JSON.stringify(report([company, stamp])), errMsg: 'uploadFile:ok' })
    render(<Verify />)
    fireEvent.click(screen.getByText('选择 PDF 文件'))
    expect(await screen.findByText('签名 1：沙箱周九贸易有限公司（周九）（2026-11-30）')).toBeInTheDocument()
    expect(screen.getByText('签名 2：Qianyue Time Stamping Authority 1（2026-11-30）')).toBeInTheDocument()
  })

  it('sends a chosen evidence package (zip) to the package check and shows each section and the first broken link', async () => {
    picked.mockResolvedValue({ filePath: 'blob:package', name: '合同-证据包.zip', size: 5000 })
    const body = {
      valid: false,
      anchor: 'given',
      sections: [
        { section: 'manifest', title: '证据包清单', status: 'ok', message: '合同编号 c1' },
        { section: 'events', title: '证据链', status: 'failed', message: '证据链在第 2 条记录处断开：序号不连续', detail: 'record #2: seq-mismatch' },
        { section: 'report', title: '证据报告', status: 'not-run', message: '未检查（前一项未通过）' },
      ],
      firstFailure: { section: 'events', title: '证据链', status: 'failed', message: '证据链在第 2 条记录处断开：序号不连续', detail: 'record #2: seq-mismatch' },
    }
    upload.mockResolvedValue({ statusCode: 200, data: JSON.stringify(body), errMsg: 'uploadFile:ok' })
    render(<Verify />)
    fireEvent.click(screen.getByText('选择 PDF 文件'))
    expect(await screen.findByText('✗ 证据包验证未通过')).toHaveAttribute('id', 'verify-verdict')
    expect(picked).toHaveBeenCalledWith({ orZip: true })
    expect(upload).toHaveBeenCalledWith(expect.objectContaining({ url: '/api/verify/evidence-package', filePath: 'blob:package', name: 'file' }))
    expect(screen.getByText('第一处断裂在「证据链」：证据链在第 2 条记录处断开：序号不连续')).toBeInTheDocument()
    expect(screen.getByText('技术细节：record #2: seq-mismatch')).toBeInTheDocument()
    expect(screen.getByText('未通过')).toBeInTheDocument()
    expect(screen.getByText('未检查')).toBeInTheDocument()
  })

  it('shows why a document is not valid', async () => {
    const body = report([signature({ intact: false, valid: false, trusted: false }), signature({ modification: 'disallowed' })])
    upload.mockResolvedValue({ statusCode: 200, data: JSON.stringify(body), errMsg: 'uploadFile:ok' })
    render(<Verify />)
    fireEvent.click(screen.getByText('选择 PDF 文件'))
    expect(await screen.findByText('✗ 文档无效')).toBeInTheDocument()
    expect(screen.getByText('签名 1 覆盖的内容已被篡改；签名 2 签署后文档被修改。')).toBeInTheDocument()
    expect(screen.getAllByText('无效').length + screen.getAllByText('签署后被修改').length).toBe(2)
  })

  it('shows the server message for a file that is not a PDF, and refuses files over the size limit', async () => {
    upload.mockResolvedValue({ statusCode: 400, data: JSON.stringify({ error: { code: 'NOT_A_PDF', message: '无法读取该 PDF：not a PDF file' } }), errMsg: 'uploadFile:ok' })
    render(<Verify />)
    fireEvent.click(screen.getByText('选择 PDF 文件'))
    // The server's English detail never reaches the user: the code's Chinese message does.
    expect(await screen.findByText('验证失败：无法读取该 PDF')).toBeInTheDocument()
    expect(screen.queryByText(/not a PDF/)).toBeNull()
    picked.mockResolvedValue({ filePath: 'blob:big', name: 'big.pdf', size: 21 * 1024 * 1024 })
    fireEvent.click(screen.getByText('选择 PDF 文件'))
    expect(await screen.findByText('验证失败：文件超过 20 MB，无法验证')).toBeInTheDocument()
    expect(upload).toHaveBeenCalledTimes(1)
  })

  it('an untrusted signer is amber 无法确认签署人身份, never green 文档有效; the verdict comes from the report', async () => {
    const body = report([signature({ signer: '王五', trusted: false })])
    expect(body.verdict).toBe('indeterminate')
    upload.mockResolvedValue({ statusCode: 200, data: JSON.stringify(body), errMsg: 'uploadFile:ok' })
    render(<Verify />)
    fireEvent.click(screen.getByText('选择 PDF 文件'))
    expect(await screen.findByText('! 无法确认签署人身份')).toHaveAttribute('id', 'verify-verdict')
    expect(screen.queryByText('✓ 文档有效')).not.toBeInTheDocument()
    expect(document.querySelector('[data-verdict="indeterminate"]')).toHaveClass('verify__verdict--warn')
    expect(screen.getByText(/签名 1（王五）的证书不是由受信任的机构签发，无法确认签署人身份/)).toBeInTheDocument()
  })

  it('follows the server verdict: a report the server calls invalid is red even when every signature looks valid', async () => {
    const body = report([signature()], { verdict: 'invalid', valid: false, problems: [{ code: 'NO_SIGNATURES', message: 'x' }] })
    upload.mockResolvedValue({ statusCode: 200, data: JSON.stringify(body), errMsg: 'uploadFile:ok' })
    render(<Verify />)
    fireEvent.click(screen.getByText('选择 PDF 文件'))
    expect(await screen.findByText('✗ 文档无效')).toBeInTheDocument()
    expect(document.querySelector('[data-verdict="invalid"]')).toHaveClass('verify__verdict--bad')
  })

  it('does nothing when the user cancels the picker', async () => {
    picked.mockResolvedValue(null)
    render(<Verify />)
    fireEvent.click(screen.getByText('选择 PDF 文件'))
    await Promise.resolve()
    expect(upload).not.toHaveBeenCalled()
    expect(screen.getByText('选择 PDF 文件')).toBeInTheDocument()
  })
})
