/** WeChat mini-program: 微信一键登录 is offered. (H5: wechat-login.h5.ts.) */
export const canLoginWithWeChat = true
