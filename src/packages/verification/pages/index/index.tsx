import { useRef, useState } from 'react'
import { Text, View } from '@tarojs/components'
import type { PackageVerification, VerificationReport, VerificationVerdict } from '@api/verification.types'
import SignatureDetail from '@/components/signature-detail'
import { beijingTime, PROBLEM_LABELS, signatureStatus } from '@/components/signature-detail/labels'
import { Button } from '@/components/ui'
import { errorText } from '@/services/error-text'
import { pickPdf } from '@/services/platform/pick-pdf'
import { MAX_VERIFY_BYTES, verifyPackage, verifyPdf } from '@/services/verification-api'
import './index.css'

type State =
  | { kind: 'idle' }
  | { kind: 'verifying'; fileName: string }
  | { kind: 'done'; fileName: string; report: VerificationReport }
  | { kind: 'package'; fileName: string; result: PackageVerification }
  | { kind: 'error'; message: string }

/** Who signed: the signer, and for a company's seal (an approval signature whose certificate names an organisation) the company first. */
function signerLabel(s: VerificationReport['signatures'][number]): string {
  const name = s.signer ?? '未知'
  const org = s.kind !== 'document-timestamp' ? s.certificate?.organization : undefined
  return org ? `${org}（${name}）` : name
}

/** Why the document is not valid, in one sentence. */
function verdictReason(r: VerificationReport): string {
  if (r.signatures.length === 0) return '文档中没有签名。'
  const parts: string[] = []
  r.signatures.forEach((s, i) => {
    if (!s.intact) parts.push(`签名 ${i + 1} 覆盖的内容已被篡改`)
    else if (!s.valid) parts.push(`签名 ${i + 1} 无效`)
    else if (s.modification === 'disallowed') parts.push(`签名 ${i + 1} 签署后文档被修改`)
  })
  for (const p of r.problems) if (p.code !== 'NO_SIGNATURES') parts.push(PROBLEM_LABELS[p.code] ?? p.message)
  return `${parts.join('；')}。`
}

const VERDICT: Record<VerificationVerdict, { tone: 'ok' | 'warn' | 'bad'; title: string }> = {
  valid: { tone: 'ok', title: '✓ 文档有效' },
  indeterminate: { tone: 'warn', title: '! 无法确认签署人身份' },
  invalid: { tone: 'bad', title: '✗ 文档无效' },
}

/** The report's verdict; a server without `verdict` yet: derived the same way (trusted signers and time-stamps for `valid`). */
function verdictOf(r: VerificationReport): VerificationVerdict {
  if (r.verdict) return r.verdict
  if (!r.valid) return 'invalid'
  return r.signatures.every((s) => s.trusted && s.timestamp?.trusted !== false) ? 'valid' : 'indeterminate'
}

/** Why the signers cannot be confirmed, in one sentence. */
function indeterminateReason(r: VerificationReport): string {
  const who = r.signatures
    .map((s, i) => (!s.trusted ? `签名 ${i + 1}（${s.signer ?? '未知签署人'}）的证书不是由受信任的机构签发` : s.timestamp?.trusted === false ? `签名 ${i + 1} 的时间戳服务不受信任` : ''))
    .filter(Boolean)
  return `签名完整、签署后没有不允许的修改，但${who.join('；')}，无法确认签署人身份。`
}

export default function Verify() {
  const [state, setState] = useState<State>({ kind: 'idle' })
  const [open, setOpen] = useState<number | null>(null)
  const seq = useRef(0)

  const choose = async () => {
    let file
    try {
      file = await pickPdf({ orZip: true })
    } catch (err) {
      setState({ kind: 'error', message: `无法选择文件：${errorText(err)}` })
      return
    }
    if (!file) return
    if (file.size > MAX_VERIFY_BYTES) {
      setState({ kind: 'error', message: `文件超过 ${MAX_VERIFY_BYTES / 1024 / 1024} MB，无法验证` })
      return
    }
    const mine = ++seq.current
    setOpen(null)
    setState({ kind: 'verifying', fileName: file.name })
    try {
      if (/\.zip$/i.test(file.name)) {
        const result = await verifyPackage(file)
        if (mine === seq.current) setState({ kind: 'package', fileName: file.name, result })
      } else {
        const report = await verifyPdf(file)
        if (mine === seq.current) setState({ kind: 'done', fileName: file.name, report })
      }
    } catch (err) {
      if (mine === seq.current) setState({ kind: 'error', message: errorText(err) })
    }
  }

  return (
    <View className='page verify'>
      <Text className='page__title'>验证签名</Text>
      <Text className='page__desc'>上传已签署的 PDF，检查每个签名是否完整有效、证书是否可信、签署时间，以及签署后文档是否被修改；也可以上传证据包（zip），逐项核对证据链、时间戳、合同与证据报告。</Text>

      <Button id='pick-pdf' className='verify__pick btn-block' type='primary' loading={state.kind === 'verifying'} onClick={() => void choose()}>
        {state.kind === 'verifying' ? '正在验证…' : state.kind === 'done' || state.kind === 'package' ? '验证另一个文件' : '选择 PDF 文件'}
      </Button>

      {state.kind === 'verifying' && <Text className='page__desc'>正在验证 {state.fileName}…</Text>}
      {state.kind === 'error' && (
        <View className='card'>
          <Text id='verify-error' className='verify__error'>验证失败：{state.message}</Text>
        </View>
      )}
      {state.kind === 'package' && (
        <View>
          <View className={`card verify__verdict verify__verdict--${state.result.valid ? 'ok' : 'bad'}`} id='verify-verdict-card' data-verdict={state.result.valid ? 'valid' : 'invalid'}>
            <Text id='verify-verdict' className='verify__verdict-title'>{state.result.valid ? '✓ 证据包验证通过' : '✗ 证据包验证未通过'}</Text>
            <Text className='card__line'>
              {state.result.firstFailure ? `第一处断裂在「${state.result.firstFailure.title}」：${state.result.firstFailure.message}` : '证据链、时间戳、合同与证据报告的签名均已核对无误。'}
            </Text>
            {state.result.firstFailure?.detail && <Text className='card__line verify__file'>技术细节：{state.result.firstFailure.detail}</Text>}
            <Text className='card__line verify__file'>{state.fileName}</Text>
          </View>
          {state.result.sections.map((x) => (
            <View key={x.section} className='card verify__item' id={`package-section-${x.section}`}>
              <Text className='verify__item-name'>{x.title}</Text>
              <Text className={`verify__item-status verify__item-status--${x.status === 'ok' ? 'ok' : x.status === 'failed' ? 'bad' : 'warn'}`}>
                {{ ok: '通过', failed: '未通过', skipped: '无', 'not-run': '未检查' }[x.status]}
              </Text>
              <Text className='card__line'>{x.message}</Text>
            </View>
          ))}
        </View>
      )}
      {state.kind === 'done' && (
        <View>
          <View className={`card verify__verdict verify__verdict--${VERDICT[verdictOf(state.report)].tone}`} id='verify-verdict-card' data-verdict={verdictOf(state.report)}>
            <Text id='verify-verdict' className='verify__verdict-title'>{VERDICT[verdictOf(state.report)].title}</Text>
            <Text className='card__line'>
              {verdictOf(state.report) === 'valid'
                ? '所有签名完整有效，签署人证书由受信任的机构签发，签署后没有不允许的修改。'
                : verdictOf(state.report) === 'indeterminate'
                  ? indeterminateReason(state.report)
                  : verdictReason(state.report)}
            </Text>
            <Text className='card__line verify__file'>{state.fileName}</Text>
          </View>

          {state.report.signatures.length > 0 && <Text className='verify__count'>共 {state.report.signatures.length} 个签名（点击查看详情）</Text>}
          {state.report.signatures.map((s, i) => {
            const st = signatureStatus(s)
            return (
              <View key={`${s.field}-${i}`}>
                <View className='card verify__item' id={`signature-item-${i + 1}`} onClick={() => setOpen(open === i ? null : i)}>
                  <Text className='verify__item-name'>
                    签名 {i + 1}：{signerLabel(s)}
                    {s.timestamp ? `（${beijingTime(s.timestamp.time).slice(0, 10)}）` : ''}
                  </Text>
                  <Text className={`verify__item-status verify__item-status--${st.tone}`}>{st.label}</Text>
                </View>
                {open === i && <SignatureDetail signature={s} index={i + 1} />}
              </View>
            )
          })}
        </View>
      )}
    </View>
  )
}
