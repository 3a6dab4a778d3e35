/**
 * 邀请签署. WeChat mini-program: the button opens the share panel (`open-type="share"`) and the
 * page's `useShareAppMessage` card opens the sign page. (H5: invite.h5.ts copies the link text.)
 */
export const inviteOpenType: 'share' | undefined = 'share'

/** The notice shown after the tap. */
export async function invite(_title: string, _signPath: string): Promise<string> {
  return '选择微信好友或群，发送签署邀请卡片。'
}
