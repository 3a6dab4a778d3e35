import Taro from '@tarojs/taro'

/** H5: no share panel; the button copies the sign page's link with a line of text. (Mini-program: invite.ts.) */
export const inviteOpenType: 'share' | undefined = undefined

export async function invite(title: string, signPath: string): Promise<string> {
  const url = `${window.location.origin}${window.location.pathname}#${signPath}`
  await Taro.setClipboardData({ data: `请签署《${title}》：${url}` })
  return '签署链接已复制，发送给签署人即可（签署人需用受邀手机号登录）。'
}
