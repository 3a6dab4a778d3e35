import type { SandboxServices } from '../runtime/services'
import { errorResponse, type HttpResult } from '../runtime/http'

const PAGE_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' }

/**
 * The sandbox's stand-in for the provider's H5 face page (FaceID DetectAuth `Url`): clearly
 * labelled 沙箱, no camera, the tester chooses 通过 or 不通过. Answers 404 unless the sandbox
 * identity provider is configured.
 */
export async function sandboxFacePage(services: SandboxServices, token: string): Promise<HttpResult> {
  const face = services.sandboxFace
  if (!face) return errorResponse('NOT_FOUND', '沙箱人脸页面仅在使用沙箱服务时可用')
  const status = await face.faceSessionStatus(token)
  if (status === 'missing') return page(404, '<p class="msg">该人脸核验会话不存在或已过期（2 小时）。请返回重新发起。</p>')
  if (status === 'done') return page(409, '<p class="msg">该人脸核验会话已完成。请返回应用查看结果。</p>')
  return page(
    200,
    `<p class="msg">这是<strong>沙箱环境</strong>的模拟人脸核身页面：不会打开摄像头，也不会进行真实的活体检测与人像比对。请选择本次模拟的结果。</p>
<form method="post">
  <button id="sandbox-face-pass" name="choice" value="pass" class="pass">模拟核验通过</button>
  <button id="sandbox-face-fail" name="choice" value="fail" class="fail">模拟核验不通过</button>
</form>
<p class="note">测试身份“赵六”在沙箱中总是核验不通过。</p>`,
  )
}

/** The 沙箱 page's form: record the choice and send the browser back like the provider would (303). */
export async function sandboxFaceSubmit(services: SandboxServices, token: string, formBody: string): Promise<HttpResult> {
  const face = services.sandboxFace
  if (!face) return errorResponse('NOT_FOUND', '沙箱人脸页面仅在使用沙箱服务时可用')
  const choice = new URLSearchParams(formBody).get('choice')
  if (choice !== 'pass' && choice !== 'fail') return errorResponse('VALIDATION_FAILED', '请选择模拟结果', { field: 'choice' })
  const next = await face.completeFaceSession(token, choice)
  if (!next) return page(409, '<p class="msg">该人脸核验会话不存在、已过期或已完成。</p>')
  return { statusCode: 303, headers: { location: next, 'cache-control': 'no-store' }, body: '' }
}

function page(statusCode: number, body: string): HttpResult {
  const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>沙箱 · 模拟人脸核身</title>
<style>
body{font-family:system-ui,-apple-system,"PingFang SC","Noto Sans SC",sans-serif;margin:0;background:#fff7e6;color:#333}
.banner{background:#d4380d;color:#fff;padding:12px 16px;font-size:18px;font-weight:bold;text-align:center}
main{padding:20px 16px;max-width:480px;margin:0 auto}
.msg{line-height:1.7}
form{display:flex;flex-direction:column;gap:12px;margin-top:20px}
button{font-size:17px;padding:14px;border-radius:8px;border:0;color:#fff}
.pass{background:#1a56db}.fail{background:#8c8c8c}
.note{color:#888;font-size:13px;margin-top:24px}
</style></head>
<body><div class="banner" id="sandbox-banner">沙箱 · 模拟人脸核身（非真实核验）</div><main>${body}</main></body></html>`
  return { statusCode, headers: PAGE_HEADERS, body: html }
}
