import Taro from '@tarojs/taro'

/**
 * Opens the face-verification page of the provider. WeChat mini-program: inside a `web-view` page
 * (the provider's H5 flow); the person comes back and asks for the result. (H5: face.h5.ts, which
 * sends the browser to the provider and has it come back to `backTo?face=done`.)
 * Resolves `'returned-later'` when the page must offer 查询核验结果, `'left'` when the browser left.
 */
export async function openFaceVerification(start: (returnUrl?: string) => Promise<{ url: string }>, _backTo: string): Promise<'returned-later' | 'left'> {
  const started = await start(undefined)
  await Taro.navigateTo({ url: `/packages/identity/pages/web-view/index?url=${encodeURIComponent(started.url)}` })
  return 'returned-later'
}
