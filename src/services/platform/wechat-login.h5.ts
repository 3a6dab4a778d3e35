/** H5 (a browser, no `wx.login`): SMS login only. */
export const canLoginWithWeChat = false
