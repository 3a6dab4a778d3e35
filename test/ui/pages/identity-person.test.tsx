import { fireEvent, render, screen } from '@testing-library/react'
import Taro from '@tarojs/taro'
import type { PersonVerificationView } from '@api/identity.types'
import type { ErrorBody } from '@api/error-codes'
import Person from '@/packages/identity/pages/person'

const request = jest.mocked(Taro.request)
const ok = (data: unknown, statusCode = 200) => ({ statusCode, data, header: {}, cookies: [], errMsg: 'request:ok' }) as never
const fail = (statusCode: number, error: ErrorBody['error']) => ok({ error }, statusCode)

const face = { failures: 0, attemptsLeft: 5, inProgress: false }
const unverified: PersonVerificationView = { status: 'unverified', nextStep: 'details', face, sandbox: true }
const checked: PersonVerificationView = { status: 'checked', nextStep: 'face', name: '张三', maskedIdNumber: '1101**********0011', maskedPhone: '138****0001', face, sandbox: true }

const type = (id: string, value: string) => fireEvent.change(document.getElementById(id)!, { target: { value } })

describe('person verification page (packages/identity/pages/person)', () => {
  beforeEach(() => {
    request.mockReset()
    jest.mocked(Taro.redirectTo).mockClear()
    jest.mocked(Taro.getStorageSync).mockReturnValue({ token: 'qy1.t.s', expiresAt: Date.now() + 3600_000 })
  })

  it('sends a visitor without a session to the login page, coming back here afterwards', () => {
    // Prepare
    jest.mocked(Taro.getStorageSync).mockReturnValue('')

    // Act
    render(<Person />)

    // Assess
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: `/packages/identity/pages/login/index?next=${encodeURIComponent('/packages/identity/pages/person/index')}` })
    expect(request).not.toHaveBeenCalled()
  })

  it('shows step 1 with the sandbox hint, submits the details with the bearer token, then shows step 2 masked', async () => {
    // Prepare
    request.mockResolvedValueOnce(ok(unverified)).mockResolvedValueOnce(ok(checked))
    render(<Person />)
    await screen.findByText('提交核验')
    expect(screen.getByText(/沙箱环境：可使用测试身份/)).toBeInTheDocument()

    // Act
    type('person-name', '张三')
    type('person-id-number', '110101199003070011')
    type('person-phone', '13800000001')
    fireEvent.click(screen.getByText('提交核验'))

    // Assess
    expect(await screen.findByText('身份证号：1101**********0011')).toBeInTheDocument()
    expect(screen.getByText('人脸核验剩余次数：5 次')).toBeInTheDocument()
    expect(request).toHaveBeenLastCalledWith(
      expect.objectContaining({
        url: '/api/identity/person',
        method: 'POST',
        data: { name: '张三', idNumber: '110101199003070011', phone: '13800000001' },
        header: expect.objectContaining({ Authorization: 'Bearer qy1.t.s' }),
      }),
    )
    expect(document.querySelector('[data-state="done"]')?.textContent).toBe('✓ 填写信息')
    expect(document.querySelector('[data-state="current"]')?.textContent).toBe('2. 人脸核验')
  })

  it('shows the server message when a check digit is wrong, and keeps the form', async () => {
    request.mockResolvedValueOnce(ok(unverified)).mockResolvedValueOnce(fail(400, { code: 'ID_NUMBER_INVALID', message: '身份证号不正确：校验位不正确', details: { field: 'idNumber' } }))
    render(<Person />)
    await screen.findByText('提交核验')
    type('person-name', '张三')
    type('person-id-number', '110101199003070012')
    type('person-phone', '13800000001')
    fireEvent.click(screen.getByText('提交核验'))
    expect(await screen.findByText('身份证号不正确：校验位不正确')).toHaveAttribute('id', 'person-error')
    expect(screen.getByText('提交核验')).toBeInTheDocument()
  })

  it('shows the face lock and disables a new attempt', async () => {
    request.mockResolvedValueOnce(ok({ ...checked, face: { failures: 5, attemptsLeft: 0, lockedUntil: '2026-03-02T04:00:00.000Z', inProgress: false } }))
    render(<Person />)
    expect(await screen.findByText(/人脸核验失败次数过多，已锁定至/)).toBeInTheDocument()
    expect(screen.getByText('开始人脸核验').closest('button')).toHaveAttribute('aria-disabled', 'true')
  })

  it('asks for the result of a face session in progress, and shows a failure with the attempts left', async () => {
    request
      .mockResolvedValueOnce(ok({ ...checked, face: { ...face, inProgress: true } }))
      .mockResolvedValueOnce(fail(422, { code: 'FACE_FAILED', message: '人脸核验未通过：比对相似度未达到通过阈值（沙箱）。还可尝试 4 次', details: { attemptsLeft: 4 } }))
      .mockResolvedValueOnce(ok({ ...checked, face: { failures: 1, attemptsLeft: 4, inProgress: false } }))
    render(<Person />)
    fireEvent.click(await screen.findByText('查询核验结果'))
    expect(await screen.findByText(/还可尝试 4 次/)).toBeInTheDocument()
    expect(await screen.findByText('人脸核验剩余次数：4 次')).toBeInTheDocument()
  })

  it('shows the verified state with the certificate', async () => {
    request.mockResolvedValueOnce(ok({ ...checked, status: 'verified', nextStep: 'done', verifiedAt: '2026-03-01T04:00:00.000Z', certificate: { serialNumber: 'ABCDEF0123456789ABCDEF', notAfter: '2027-03-01T04:00:00.000Z' } }))
    render(<Person />)
    expect(await screen.findByText('✓ 已完成实名认证')).toBeInTheDocument()
    expect(screen.getByText(/个人数字证书：ABCDEF0123456789…（有效期至 2027-03-01）/)).toBeInTheDocument()
  })
})
