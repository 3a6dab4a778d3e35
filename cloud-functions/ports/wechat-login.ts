/** What code2Session answers: the openid, or why the code was refused. */
export type Code2SessionResult =
  | { ok: true; openid: string; unionid?: string }
  /** The `wx.login` code is invalid, used or expired (40029, 40163): ask the client for a new one. */
  | { ok: false; reason: 'invalid-code' | 'rate-limited' | 'blocked'; errcode: number }

/**
 * WeChat mini-program login (code2Session): `adapters/wechat/wechat-login.ts`. Throws
 * `ProviderRejectedError` / `ProviderUnavailableError` (ports/provider-errors.ts) when WeChat is
 * unreachable or refuses the app.
 */
export interface WeChatCodeLogin {
  code2Session(code: string): Promise<Code2SessionResult>
}
