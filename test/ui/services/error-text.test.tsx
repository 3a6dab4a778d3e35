import { ERROR_MESSAGES, type ErrorCode } from '@api/error-codes'
import { ApiError } from '@/services/api-client'
import { CLIENT_ERROR_MESSAGES, errorText } from '@/services/error-text'

const HAN = /[\u4e00-\u9fa5]/
const ENGLISH = /[A-Za-z]{3,}/

describe('errorText: every failure reads as a Chinese sentence', () => {
  it('every error code in api/error-codes.ts has a Chinese message, shown when the server sends English', () => {
    const codes = Object.keys(ERROR_MESSAGES) as ErrorCode[]
    expect(codes.length).toBeGreaterThan(60)
    for (const code of codes) {
      const text = errorText(new ApiError(code, 'something went wrong (internal detail)', 400))
      expect([code, HAN.test(text)]).toEqual([code, true])
      expect([code, ENGLISH.test(text.replace(/PDF|PNG|JPEG|JSON|CSV|XLSX/g, ''))]).toEqual([code, false])
      expect(text).toBe(ERROR_MESSAGES[code])
    }
  })

  it('keeps the server message when it is Chinese (it often names the limit)', () => {
    expect(errorText(new ApiError('SMS_CODE_INVALID', '验证码不正确，还可尝试 4 次', 400))).toBe('验证码不正确，还可尝试 4 次')
  })

  it('names fields as a user knows them, once each', () => {
    expect(errorText(new ApiError('VALIDATION_FAILED', '请求参数不正确：companyName', 400))).toBe('请求参数不正确：单位名称')
    expect(errorText(new ApiError('VALIDATION_FAILED', '请求参数不正确：validUntil、validUntil', 400))).toBe('请求参数不正确：授权截止日期')
    expect(errorText(new ApiError('VALIDATION_FAILED', '请求参数不正确：spec.companyName', 400))).toBe('请求参数不正确：单位名称')
  })

  it('turns framework and network failures into Chinese', () => {
    expect(errorText(new ApiError('NETWORK_ERROR', '上传失败：uploadFile:fail undefined', 0))).toBe(CLIENT_ERROR_MESSAGES.NETWORK_ERROR)
    expect(errorText(new ApiError('BAD_RESPONSE', 'Unexpected token < in JSON', 502))).toBe(CLIENT_ERROR_MESSAGES.BAD_RESPONSE)
    expect(errorText(new ApiError('NOT_A_PDF', 'not a PDF file (no %PDF- header)', 400))).toBe(ERROR_MESSAGES.NOT_A_PDF)
    expect(errorText({ errMsg: 'chooseImage:fail cancel' })).toBe('操作失败，请稍后重试')
    expect(errorText(new TypeError('Failed to fetch'))).toBe('操作失败，请稍后重试')
    expect(errorText(new Error('文件下载失败，请稍后重试'))).toBe('文件下载失败，请稍后重试')
  })
})
