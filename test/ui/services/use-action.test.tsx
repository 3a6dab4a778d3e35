import { act, renderHook } from '@testing-library/react'
import { ApiError } from '@/services/api-client'
import { useAction } from '@/hooks/use-action'

describe('useAction: the busy / error / notice wrapper', () => {
  it('is busy while the action runs, keeps the notice the action sets, clears old messages on the next run', async () => {
    const { result } = renderHook(() => useAction())
    let finish!: () => void
    let done!: Promise<boolean>
    act(() => {
      done = result.current.run(() => new Promise<void>((r) => (finish = r)).then(() => result.current.setNotice('已保存')))
    })
    expect(result.current.busy).toBe(true)
    await act(async () => {
      finish()
      await done
    })
    expect(result.current).toMatchObject({ busy: false, notice: '已保存' })
    expect(result.current.error).toBeUndefined()

    const onError = jest.fn()
    const failing = renderHook(() => useAction({ onError }))
    await act(async () => {
      expect(await failing.result.current.run(() => Promise.reject(new ApiError('SEAL_NAME_MISMATCH', 'seal name mismatch', 400)))).toBe(false)
    })
    expect(failing.result.current).toMatchObject({ busy: false, error: '企业印章的名称必须与认证的企业名称一致' })
    expect(onError).toHaveBeenCalledWith(expect.any(ApiError))
    await act(async () => {
      await failing.result.current.run(async () => undefined)
    })
    expect(failing.result.current.error).toBeUndefined()
  })
})
