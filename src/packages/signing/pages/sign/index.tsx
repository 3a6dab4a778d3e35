import { useRef, useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Text, Textarea, View } from '@tarojs/components'
import type { ContractView, FieldInput, SignContractRequest } from '@api/contracts.types'
import type { AccountView } from '@api/identity.types'
import type { MySealsResponse, PersonalSignatureView } from '@api/seals.types'
import { Button, Input } from '@/components/ui'
import ErrorText, { Notice } from '@/components/error-text'
import ContractPages, { ApiImage, pageDisplayWidth } from '@/components/contract-pages'
import { useAction } from '@/hooks/use-action'
import { useCountdown } from '@/hooks/use-countdown'
import { ApiError } from '@/services/api-client'
import { CONTRACT_STATUS, beijingTime, sealRequestText } from '@/services/contract-labels'
import { contractsApi, newIdempotencyKey } from '@/services/contracts-api'
import { identityApi } from '@/services/identity-api'
import { listMySeals, listPersonalSignatures } from '@/services/seals-api'
import { savePdf } from '@/services/platform/save-pdf'
import { scrollToId } from '@/services/platform/scroll-to'
import { requireLogin } from '@/services/session'
import { fieldDone, missingBeforeSign, myFields, nextField, signAttempt, signValues, type SignChoices } from '../../lib/sign-flow'
import '../../signing.css'

type Sheet = { kind: 'text'; field: Extract<FieldInput, { kind: 'text' }> } | { kind: 'signature' } | { kind: 'seal' } | { kind: 'intent' } | { kind: 'decline' } | undefined
type Outcome = { kind: 'signed' } | { kind: 'awaiting'; requestId: string } | { kind: 'declined' } | undefined
type CompanySeal = MySealsResponse['seals'][number]

const LABEL: Record<FieldInput['kind'], string> = { signature: '签名', seal: '盖章', 'cross-page-seal': '骑缝章', date: '日期', text: '填写', checkbox: '勾选' }
const PERSON_PAGE = '/packages/identity/pages/person/index'
const HANDWRITING_PAGE = '/packages/seals/pages/handwriting/index'

/**
 * 签署合同: the pages with my fields highlighted, 下一个 to go from field to field, fill text and
 * checkboxes, choose my signature (or draw one) or my company's seal, pass 实名认证 if not yet,
 * confirm intent with an SMS code, sign (an Idempotency-Key per attempt, reused on a retry), then
 * download. Or decline with a reason.
 */
export default function Sign() {
  const router = useRouter()
  const contractId = router.params.contractId ?? ''
  const self = `/packages/signing/pages/sign/index?contractId=${contractId}`
  const [contract, setContract] = useState<ContractView>()
  const [account, setAccount] = useState<AccountView>()
  const [signatures, setSignatures] = useState<PersonalSignatureView[]>([])
  const [seals, setSeals] = useState<CompanySeal[]>([])
  const [choices, setChoices] = useState<SignChoices>({ values: {} })
  const [current, setCurrent] = useState<string>()
  const [sheet, setSheet] = useState<Sheet>()
  const [code, setCode] = useState('')
  const [codeSentTo, setCodeSentTo] = useState('')
  const [reason, setReason] = useState('')
  const [textValue, setTextValue] = useState('')
  const [signing, setSigning] = useState(false)
  const [outcome, setOutcome] = useState<Outcome>()
  const [missing, setMissing] = useState<string[]>([])
  const attempt = useRef(signAttempt<SignContractRequest>(newIdempotencyKey)).current
  const viewed = useRef(false)
  const action = useAction()
  const width = useRef(pageDisplayWidth()).current

  const load = () =>
    action.run(async () => {
      const [c, me] = await Promise.all([contractsApi.get(contractId), identityApi.me()])
      setContract(c)
      setAccount(me)
      if (c.me.canSign && !viewed.current) {
        viewed.current = true
        setContract(await contractsApi.view(contractId).catch(() => c))
      }
      const mine = myFields(c)
      const party = c.parties.find((p) => p.partyId === c.me.partyId)
      if (mine.some((f) => f.kind === 'signature')) {
        const list = (await listPersonalSignatures()).signatures
        setSignatures(list)
        // The newest signature is chosen unless the signer chose another.
        setChoices((old) => (old.signatureId && list.some((x) => x.signatureId === old.signatureId) ? old : { ...old, signatureId: list[0]?.signatureId }))
      }
      if (party?.kind === 'company' && mine.some((f) => f.kind === 'seal' || f.kind === 'cross-page-seal')) {
        const [usable, companies] = await Promise.all([listMySeals(), identityApi.companies()])
        // The party's company when the server knows it, else the caller's companies of that name.
        const ids = new Set(party.companyId ? [party.companyId] : companies.filter((x) => x.name === party.name).map((x) => x.companyId))
        const list = usable.seals.filter((x) => x.status === 'active' && (ids.size === 0 || ids.has(x.companyId)))
        setSeals(list)
        setChoices((old) => (old.sealId && list.some((x) => x.sealId === old.sealId) ? old : { ...old, sealId: list[0]?.sealId }))
      }
    })

  useDidShow(() => {
    if (!contractId) {
      action.setError('没有指定要签署的合同，请从合同列表或签署短信中打开')
      return
    }
    if (!requireLogin(self)) return
    void load()
  })

  const fields = contract ? myFields(contract) : []
  const verified = account?.realName === 'verified'

  const goNext = () => {
    setMissing([])
    const f = nextField(fields, choices, current)
    if (!f) return
    setCurrent(f.fieldId)
    if (f.kind === 'cross-page-seal') {
      setSheet({ kind: 'seal' })
      return
    }
    scrollToId(`mf-${f.fieldId}`)
  }

  const tapField = (f: FieldInput) => {
    setCurrent(f.fieldId)
    if (f.kind === 'text') {
      setTextValue(typeof choices.values[f.fieldId] === 'string' ? (choices.values[f.fieldId] as string) : '')
      setSheet({ kind: 'text', field: f })
    } else if (f.kind === 'checkbox') setChoices((c) => ({ ...c, values: { ...c.values, [f.fieldId]: c.values[f.fieldId] !== true } }))
    else if (f.kind === 'signature') setSheet({ kind: 'signature' })
    else if (f.kind === 'seal' || f.kind === 'cross-page-seal') setSheet({ kind: 'seal' })
  }

  const startSign = () => {
    const gaps = missingBeforeSign(fields, choices)
    setMissing(gaps)
    if (gaps.length) return
    // The last attempt got no answer: send it again as it was (same key, same intent proof).
    if (attempt.pending()) {
      void action.run(() => sign())
      return
    }
    setCode('')
    setSheet({ kind: 'intent' })
  }

  // Resend countdown of the intent code (also after 发送过于频繁, from the seconds the server names).
  const { left: wait, start: countdown, startAfterError: resendTooSoon } = useCountdown()

  const sendCode = () =>
    action.run(async () => {
      if (!contract?.me.partyId || !contract.document.preparedSha256) throw new Error('合同尚未发送，暂不能签署')
      try {
        const sent = await contractsApi.intentCode(contract.contractId, contract.me.partyId, contract.document.preparedSha256)
        setCodeSentTo(sent.maskedPhone + (sent.sandbox ? '（沙箱：请在沙箱发件箱查看）' : ''))
        countdown(sent.resendAfterSeconds || 60)
      } catch (err) {
        resendTooSoon(err)
        throw err
      }
    })

  /** Sends the sign call of the current attempt; a network failure keeps the attempt for a retry. */
  const sign = async (intentProofId?: string) => {
    if (!contract) return
    const { key, body } = attempt.next(() => ({ intentProofId: intentProofId ?? '', values: signValues(fields, choices), signatureId: choices.signatureId, sealId: choices.sealId }))
    setSigning(true)
    try {
      const r = await contractsApi.sign(contract.contractId, body, key)
      attempt.answered(true)
      setContract(r.contract)
      setOutcome(r.status === 'signed' ? { kind: 'signed' } : { kind: 'awaiting', requestId: r.requestId })
      void Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => undefined)
    } catch (err) {
      attempt.answered(!(err instanceof ApiError && err.code === 'NETWORK_ERROR'))
      throw err
    } finally {
      setSigning(false)
    }
  }

  const confirmAndSign = () =>
    action.run(async () => {
      if (!contract?.me.partyId || !contract.document.preparedSha256) throw new Error('合同尚未发送，暂不能签署')
      const proof = await contractsApi.intentConfirm(contract.contractId, contract.me.partyId, contract.document.preparedSha256, code)
      setSheet(undefined)
      await sign(proof.proofId)
    })

  const decline = () =>
    action.run(async () => {
      if (!reason.trim()) throw new Error('请填写拒签原因')
      setContract(await contractsApi.decline(contractId, reason.trim()))
      setSheet(undefined)
      setOutcome({ kind: 'declined' })
      void Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => undefined)
    })

  const download = () =>
    action.run(async () => {
      if (contract) await savePdf(contractsApi.pdfPath(contract.contractId), contract.document.fileName ?? contract.title)
    })

  const colourOf = (f: FieldInput) => (fieldDone(f, choices) ? '#0a7a32' : '#c4161c')
  const sigChosen = signatures.find((x) => x.signatureId === choices.signatureId)
  const sealChosen = seals.find((x) => x.sealId === choices.sealId)
  const myParty = contract?.parties.find((p) => p.partyId === contract.me.partyId)
  const myRequest = myParty?.sealRequest

  return (
    <View className='page sign'>
      {!contract && !action.error && <Text className='card card__line muted'>加载中…</Text>}
      {contract && (
        <View className='card' id='sign-head'>
          <Text className='card__title' id='sign-title'>
            {contract.title}
          </Text>
          <Text className='card__line muted'>
            发起方：{contract.senderCompanyName ?? contract.senderName} · 截止 {beijingTime(contract.deadline)}
          </Text>
          <Text className={`badge badge--${CONTRACT_STATUS[contract.status].badge}`} id='sign-status'>
            {CONTRACT_STATUS[contract.status].text}
          </Text>
        </View>
      )}

      {contract && account && !verified && contract.me.canSign && (
        <View className='card' id='sign-realname'>
          <Text className='card__title'>请先完成实名认证</Text>
          <Text className='card__line muted'>签署合同需要确认您的真实身份，认证完成后回到本页继续签署。</Text>
          <Button id='sign-go-verify' className='btn-block' type='primary' onClick={() => void Taro.navigateTo({ url: `${PERSON_PAGE}?next=${encodeURIComponent(self)}` })}>
            去实名认证
          </Button>
        </View>
      )}

      {outcome?.kind === 'signed' && (
        <View className='card sign__done' id='sign-done'>
          <Text className='card__title'>✓ 签署成功</Text>
          <Text className='card__line'>{contract?.status === 'completed' ? '所有签署方均已签署，合同已完成。' : '您已完成签署，等待其他签署方签署。'}</Text>
          <Button id='sign-download' className='btn-block' type='primary' loading={action.busy} onClick={() => void download()}>
            下载合同
          </Button>
          <Button id='sign-to-detail' className='btn-block' type='default' onClick={() => void Taro.redirectTo({ url: `/packages/contracts/pages/detail/index?contractId=${contractId}` })}>
            查看合同详情
          </Button>
        </View>
      )}
      {myRequest && !outcome && myParty?.status !== 'signed' && (
        <View className={myRequest.status === 'rejected' ? 'error' : 'notice'} id='sign-seal-request'>
          <Text className='card__title'>{sealRequestText(myRequest).title}</Text>
          <Text className='card__line'>{sealRequestText(myRequest).line}</Text>
        </View>
      )}
      {outcome?.kind === 'awaiting' && (
        <View className='card' id='sign-awaiting'>
          <Text className='card__title'>已提交用印申请</Text>
          <Text className='card__line'>使用该印章需要企业管理员审批，已为您发起用印申请（编号 {outcome.requestId}）。审批通过后请回到本页再次签署。</Text>
        </View>
      )}
      {outcome?.kind === 'declined' && (
        <View className='card' id='sign-declined'>
          <Text className='card__title'>已拒签</Text>
          <Text className='card__line muted'>发起方和其他签署方将收到通知。</Text>
        </View>
      )}

      {contract && !contract.me.canSign && !outcome && (
        <View>
          <Notice id='sign-not-now' text={contract.status !== 'sent' ? `合同${CONTRACT_STATUS[contract.status].text}，无需签署。` : contract.parties.find((p) => p.partyId === contract.me.partyId)?.status === 'signed' ? '您已签署，等待其他签署方。' : '还未轮到您签署，请等待前序签署方完成。'} />
          <Button id='sign-to-detail' className='btn-block' type='primary' fill='outline' onClick={() => void Taro.redirectTo({ url: `/packages/contracts/pages/detail/index?contractId=${contractId}` })}>
            查看合同详情
          </Button>
        </View>
      )}

      {contract && contract.pages.length > 0 && (
        <ContractPages
          contractId={contract.contractId}
          pages={contract.pages}
          width={width}
          version={contract.document.latestSha256}
          overlay={(page) =>
            contract.me.canSign && !outcome
              ? fields.map((f) => {
                  if (f.kind === 'cross-page-seal' || f.page !== page) return null
                  const size = contract.pages[page]!
                  const s = width / size.width
                  const [x, y, w, h] = f.rect
                  // A tiny field (a checkbox) still gets a box a thumb can hit, centred on it.
                  const bw = Math.max(w * s, 28)
                  const bh = Math.max(h * s, 28)
                  const left = x * s - (bw - w * s) / 2
                  const topPx = (size.height - y - h) * s - (bh - h * s) / 2
                  const done = fieldDone(f, choices)
                  const value = choices.values[f.fieldId]
                  return (
                    <View
                      key={f.fieldId}
                      id={`mf-${f.fieldId}`}
                      className={`cfield ${done ? 'cfield--done' : ''} ${current === f.fieldId ? 'cfield--on' : ''}`}
                      style={{ left: `${left}px`, top: `${topPx}px`, width: `${bw}px`, height: `${bh}px`, color: colourOf(f) }}
                      onClick={() => tapField(f)}
                    >
                      {f.kind === 'signature' && sigChosen ? (
                        <ApiImage path={sigChosen.imagePath} width={bw - 4} height={bh - 4} alt='我的签名' />
                      ) : f.kind === 'seal' && sealChosen ? (
                        <ApiImage path={sealChosen.imagePath} width={bw - 4} height={bh - 4} alt={sealChosen.name} />
                      ) : (
                        <Text className='cfield__label'>{f.kind === 'text' && typeof value === 'string' && value ? value : f.kind === 'checkbox' ? (value === true ? '☑' : '☐') : LABEL[f.kind]}</Text>
                      )}
                    </View>
                  )
                })
              : null
          }
        />
      )}

      {!(contract?.me.canSign && !outcome) && <ErrorText error={action.error} id='sign-error' />}

      {contract?.me.canSign && !outcome && (
        <View className='sign__bar'>
          {/* Messages sit on the bar, next to the thumb that pressed 签署, not at the end of a long page. */}
          <View className='sign__bar-msg'>
            {missing.length > 0 && (
              <View className='error' id='sign-missing' {...({ role: 'alert' } as Record<string, string>)}>
                {missing.map((m) => (
                  <Text key={m} className='card__line'>
                    {m}
                  </Text>
                ))}
              </View>
            )}
            {!sheet && <ErrorText error={action.error} id='sign-error' />}
          </View>
          <View className='sign__bar-inner'>
            <Text className='sign__progress' id='sign-progress'>
              {fields.filter((f) => f.kind !== 'date' && fieldDone(f, choices)).length}/{fields.filter((f) => f.kind !== 'date').length}
            </Text>
            <Button id='sign-next' type='primary' fill='outline' onClick={goNext}>
              下一个
            </Button>
            <Button id='sign-submit' type='primary' disabled={!verified} loading={action.busy || signing} onClick={startSign}>
              {attempt.pending() ? '重试签署' : '签署'}
            </Button>
            {contract.me.canDecline && (
              <Text className='link sign__decline' id='sign-decline' onClick={() => setSheet({ kind: 'decline' })}>
                拒签
              </Text>
            )}
          </View>
        </View>
      )}

      {(sheet || signing) && <View className='sheet__mask' onClick={() => !signing && setSheet(undefined)} />}
      {signing && (
        <View className='sheet' id='sign-signing' {...({ role: 'status' } as Record<string, string>)}>
          <Text className='card__title'>正在签署…</Text>
          <View className='busy-bar'>
            <View className='busy-bar__fill' />
          </View>
          <Text className='card__line muted'>正在签发数字证书、写入签名并加盖可信时间戳，请勿关闭页面。</Text>
        </View>
      )}
      {sheet?.kind === 'text' && (
        <View className='sheet' id='sign-text-sheet'>
          <Text className='card__title'>{sheet.field.label ?? '填写内容'}</Text>
          <View className='field__control'>
            <Input id='sign-text-input' value={textValue} maxLength={sheet.field.maxLength} placeholder={sheet.field.required ? '必填' : '选填'} onChange={(v: string) => setTextValue(v)} />
          </View>
          <Button
            id='sign-text-ok'
            className='btn-block'
            type='primary'
            onClick={() => {
              setChoices((c) => ({ ...c, values: { ...c.values, [sheet.field.fieldId]: textValue } }))
              setSheet(undefined)
            }}
          >
            确定
          </Button>
        </View>
      )}
      {sheet?.kind === 'signature' && (
        <View className='sheet' id='sign-signature-sheet'>
          <Text className='card__title'>选择签名</Text>
          {signatures.length === 0 && <Text className='card__line muted'>您还没有签名，请先手写一个。</Text>}
          <View className='choice-grid'>
            {signatures.map((x) => (
              <View key={x.signatureId} id={`sign-sig-${x.signatureId}`} className={`choice ${choices.signatureId === x.signatureId ? 'choice--on' : ''}`} onClick={() => (setChoices((c) => ({ ...c, signatureId: x.signatureId })), setSheet(undefined))}>
                <ApiImage path={x.imagePath} width={120} height={60} alt={x.kind === 'personal-seal' ? '个人印章' : '手写签名'} />
                <Text className='choice__mark'>{choices.signatureId === x.signatureId ? '✓' : ''}</Text>
              </View>
            ))}
          </View>
          <Button id='sign-draw' className='btn-block' type='primary' fill='outline' onClick={() => (setSheet(undefined), void Taro.navigateTo({ url: HANDWRITING_PAGE }))}>
            手写新签名
          </Button>
        </View>
      )}
      {sheet?.kind === 'seal' && (
        <View className='sheet' id='sign-seal-sheet'>
          <Text className='card__title'>选择企业印章</Text>
          {seals.length === 0 && <Text className='card__line muted'>您没有可使用的本企业印章，请联系企业管理员授权。</Text>}
          {seals.map((x) => (
            <View key={x.sealId} id={`sign-seal-${x.sealId}`} className={`choice ${choices.sealId === x.sealId ? 'choice--on' : ''}`} onClick={() => (setChoices((c) => ({ ...c, sealId: x.sealId })), setSheet(undefined))}>
              <ApiImage path={x.imagePath} width={60} height={60} alt={x.name} />
              <Text>{x.name}</Text>
              <Text className='choice__mark'>{choices.sealId === x.sealId ? '✓' : ''}</Text>
            </View>
          ))}
        </View>
      )}
      {sheet?.kind === 'intent' && (
        <View className='sheet' id='sign-intent-sheet'>
          <Text className='card__title'>意愿认证</Text>
          <Text className='card__line muted'>为确认是您本人自愿签署，将向您实名认证的手机号发送验证码。</Text>
          <View className='row sign__code'>
            <View className='field__control'>
              <Input id='sign-code' type='number' maxLength={6} value={code} placeholder='6 位验证码' onChange={(v: string) => setCode(v)} />
            </View>
            <Button id='sign-send-code' type='primary' fill='outline' disabled={wait > 0} loading={action.busy} onClick={() => void sendCode()}>
              {wait > 0 ? `${wait} 秒后重发` : '获取验证码'}
            </Button>
          </View>
          {codeSentTo && <Text className='notice' id='sign-code-sent'>验证码已发送至 {codeSentTo}</Text>}
          <ErrorText error={action.error} id='sign-intent-error' />
          <Button id='sign-confirm' className='btn-block' type='primary' disabled={code.length !== 6} loading={action.busy} onClick={() => void confirmAndSign()}>
            确认签署
          </Button>
        </View>
      )}
      {sheet?.kind === 'decline' && (
        <View className='sheet' id='sign-decline-sheet'>
          <Text className='card__title'>拒签</Text>
          <Textarea id='sign-decline-reason' className='textarea' value={reason} maxlength={500} placeholder='请填写拒签原因' onInput={(e) => setReason(e.detail.value)} />
          <ErrorText error={action.error} id='sign-decline-error' />
          <Button id='sign-decline-ok' className='btn-block' type='danger' loading={action.busy} onClick={() => void decline()}>
            确认拒签
          </Button>
        </View>
      )}
    </View>
  )
}
