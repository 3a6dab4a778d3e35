import { render, screen } from '@testing-library/react'
import Taro from '@tarojs/taro'
import type { HealthResponse } from '@api/health.types'
import type { ErrorBody } from '@api/error-codes'
import Index from '@/packages/diagnostics/pages/index'

const request = jest.mocked(Taro.request)

const health: HealthResponse = {
  status: 'ok',
  version: '0.1.0',
  mode: 'local',
  storage: {
    objects: { kind: 'fs', version: '1' },
    metadata: { kind: 'sqlite', version: '3.49.2' },
  },
}

describe('diagnostics page (packages/diagnostics)', () => {
  beforeEach(() => {
    request.mockReset()
  })

  it('shows 服务状态：正常 with version, mode and both storage backends on a 200', async () => {
    // Prepare
    request.mockResolvedValue({ statusCode: 200, data: health, header: {}, cookies: [], errMsg: 'request:ok' } as never)

    // Act
    render(<Index />)

    // Assess
    expect(await screen.findByText('服务状态：正常')).toHaveAttribute('id', 'health-status')
    expect(screen.getByText('版本：0.1.0')).toBeInTheDocument()
    expect(screen.getByText(/运行模式：本地/)).toBeInTheDocument()
    expect(screen.getByText('文件存储：fs 1')).toBeInTheDocument()
    expect(screen.getByText('元数据存储：sqlite 3.49.2')).toBeInTheDocument()
    expect(request).toHaveBeenCalledTimes(1)
    expect(request).toHaveBeenCalledWith(expect.objectContaining({ url: '/api/health', method: 'GET' }))
  })

  it('shows 服务状态：不可用 and the server message on an error body', async () => {
    // Prepare
    const body: ErrorBody = { error: { code: 'UNAVAILABLE', message: '服务暂时不可用，请稍后重试' } }
    request.mockResolvedValue({ statusCode: 503, data: body, header: {}, cookies: [], errMsg: 'request:ok' } as never)

    // Act
    render(<Index />)

    // Assess
    expect(await screen.findByText('服务状态：不可用')).toHaveAttribute('id', 'health-status')
    expect(screen.getByText('原因：服务暂时不可用，请稍后重试')).toBeInTheDocument()
    expect(screen.queryByText(/文件存储/)).not.toBeInTheDocument()
  })

  it('shows 服务状态：不可用 with a network message when the request itself fails', async () => {
    // Prepare
    request.mockRejectedValue({ errMsg: 'request:fail timeout' })

    // Act
    render(<Index />)

    // Assess
    expect(await screen.findByText('服务状态：不可用')).toBeInTheDocument()
    expect(screen.getByText('原因：网络连接失败，请检查网络后重试')).toBeInTheDocument()
  })
})
