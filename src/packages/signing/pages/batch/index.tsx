import { useRef, useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { MySealsResponse, PersonalSignatureView } from '@api/seals.types'
import { Button, Input } from '@/components/ui'
import ErrorText from '@/components/error-text'
import { ApiImage } from '@/components/contract-pages'
import { useAction } from '@/hooks/use-action'
import { useCountdown } from '@/hooks/use-countdown'
import { ApiError } from '@/services/api-client'
import { beijingTime } from '@/services/contract-labels'
import { batchSignApi } from '@/services/batch-sign-api'
import { newIdempotencyKey } from '@/services/contracts-api'
import { errorText } from '@/services/error-text'
import { listMySeals, listPersonalSignatures } from '@/services/seals-api'
import { requireLogin } from '@/services/session'
import { failedItem, intentItems, marksNeeded, outcomeText, parseBatchIds, tally, type BatchRow } from '../../lib/batch-flow'
import '../../signing.css'

type CompanySeal = MySealsResponse['seals'][number]
type Phase = 'choose' | 'intent' | 'signing' | 'done'

const HANDWRITING_PAGE = '/packages/seals/pages/handwriting/index'
const LIST_PAGE = '/packages/contracts/pages/list/index'

/**
 * 批量签署: the contracts chosen on the list (`ids`), each marked 可签署 or why not (not my turn,
 * fields to fill, …); my signature (or my company's seal) chosen once; ONE intent confirmation by
 * SMS code for all of them; then each contract signed in turn with a progress bar, and each
 * contract's outcome (已签署, or the reason) at the end.
 */
export default function BatchSign() {
  const ids = parseBatchIds(useRouter().params.ids)
  const self = `/packages/signing/pages/batch/index?ids=${ids.join(',')}`
  const [rows, setRows] = useState<BatchRow[]>()
  const [signatures, setSignatures] = useState<PersonalSignatureView[]>([])
  const [seals, setSeals] = useState<CompanySeal[]>([])
  const [signatureId, setSignatureId] = useState<string>()
  const [sealId, setSealId] = useState<string>()
  const [phase, setPhase] = useState<Phase>('choose')
  const [code, setCode] = useState('')
  const [codeSentTo, setCodeSentTo] = useState('')
  const [progress, setProgress] = useState({ done: 0, total: 0 })
  const action = useAction()
  const loaded = useRef(false)

  const load = () =>
    action.run(async () => {
      const preview = await batchSignApi.preview(ids)
      const next = preview.items.map((item) => ({ item }))
      setRows(next)
      const need = marksNeeded(next)
      if (need.signature) {
        const list = (await listPersonalSignatures()).signatures
        setSignatures(list)
        setSignatureId((old) => (old && list.some((x) => x.signatureId === old) ? old : list[0]?.signatureId))
      }
      if (need.seal) {
        const companies = new Set(next.filter((r) => r.item.ready && r.item.companyId).map((r) => r.item.companyId!))
        const list = (await listMySeals()).seals.filter((x) => x.status === 'active' && (companies.size === 0 || companies.has(x.companyId)))
        setSeals(list)
        setSealId((old) => (old && list.some((x) => x.sealId === old) ? old : list[0]?.sealId))
      }
    })

  useDidShow(() => {
    if (ids.length === 0) {
      action.setError('没有选择要批量签署的合同，请回到合同列表选择')
      return
    }
    if (!requireLogin(self)) return
    // Back from drawing a signature: the list of signatures is read again, the outcome kept.
    if (phase === 'choose' || !loaded.current) {
      loaded.current = true
      void load()
    }
  })

  const all = rows ?? []
  const ready = all.filter((r) => r.item.ready)
  const need = marksNeeded(all)
  const missingMark = (need.signature && !signatureId) || (need.seal && !sealId)

  // Resend countdown of the code (also after 发送过于频繁, from the seconds the server names).
  const { left: wait, start: countdown, startAfterError: resendTooSoon } = useCountdown()

  const sendCode = () =>
    action.run(async () => {
      try {
        const sent = await batchSignApi.intentCode(intentItems(all))
        setCodeSentTo(sent.maskedPhone + (sent.sandbox ? '（沙箱：请在沙箱发件箱查看）' : ''))
        countdown(sent.resendAfterSeconds || 60)
      } catch (err) {
        resendTooSoon(err)
        throw err
      }
    })

  /** One contract after another with the batch's proof: the bar moves as each answers; a failure is that contract's only. */
  const signAll = async (batchId: string) => {
    const todo = ready.map((r) => r.item.contractId)
    setPhase('signing')
    setProgress({ done: 0, total: todo.length })
    let stop: string | undefined
    for (const [n, contractId] of todo.entries()) {
      let outcome
      if (stop) outcome = failedItem(contractId, { code: 'INTENT_PROOF_INVALID', message: stop })
      else {
        const key = newIdempotencyKey()
        const body = { batchId, contractIds: [contractId], ...(signatureId ? { signatureId } : {}), ...(sealId ? { sealId } : {}) }
        try {
          // A call without an answer is sent once more with the same key: it never signs twice.
          const answer = await batchSignApi.sign(body, key).catch((err: unknown) => {
            if (err instanceof ApiError && err.code === 'NETWORK_ERROR') return batchSignApi.sign(body, key)
            throw err
          })
          outcome = answer.items[0] ?? failedItem(contractId, { code: 'INTERNAL', message: '服务器没有返回该合同的结果' })
        } catch (err) {
          // The batch's proof is no longer usable (expired): the rest are not tried.
          if (err instanceof ApiError && err.code === 'INTENT_PROOF_INVALID') stop = errorText(err)
          outcome = failedItem(contractId, { code: err instanceof ApiError ? err.code : 'INTERNAL', message: errorText(err) })
        }
      }
      setRows((old) => old?.map((r) => (r.item.contractId === contractId ? { ...r, outcome } : r)))
      setProgress({ done: n + 1, total: todo.length })
    }
    setPhase('done')
    void Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => undefined)
  }

  const confirm = () =>
    action.run(async () => {
      const proof = await batchSignApi.intentConfirm(intentItems(all), code)
      await signAll(proof.batchId)
    })

  const start = () => {
    if (missingMark) {
      action.setError(need.seal && !sealId ? '请选择企业印章' : '请选择或手写签名')
      return
    }
    setCode('')
    action.setError(undefined)
    setPhase('intent')
  }

  const counts = tally(all)
  const percent = progress.total ? Math.round((progress.done / progress.total) * 100) : 0

  return (
    <View className='page sign batch'>
      <View className='card' id='batch-head'>
        <Text className='card__title'>批量签署</Text>
        {rows && (
          <Text className='card__line muted' id='batch-summary'>
            {phase === 'done' ? `已签署 ${counts.signed} 份，未签署 ${counts.failed + (all.length - ready.length)} 份` : `共选择 ${all.length} 份，可批量签署 ${ready.length} 份`}
          </Text>
        )}
        {!rows && !action.error && <Text className='card__line muted'>加载中…</Text>}
      </View>

      {phase === 'done' && (
        <View className='card sign__done' id='batch-done'>
          <Text className='card__title' id='batch-done-title'>
            {counts.failed > 0 ? '批量签署已结束' : ready.length === all.length ? '✓ 全部签署完成' : '✓ 可批量签署的合同已全部签署'}
          </Text>
          <Text className='card__line'>每份合同都有独立的数字签名和证据记录。未签署的合同可在下方查看原因，或打开后单独签署。</Text>
          <Button id='batch-to-list' className='btn-block' type='primary' onClick={() => void Taro.redirectTo({ url: `${LIST_PAGE}?box=todo` })}>
            返回合同列表
          </Button>
        </View>
      )}

      <View id='batch-items'>
        {all.map(({ item, outcome }) => (
          <View key={item.contractId} className='card batch__item' id={`batch-item-${item.contractId}`}>
            <View className='row batch__item-head'>
              <Text className='batch__item-title'>{item.title ?? '合同'}</Text>
              {outcome ? (
                <Text className={`badge badge--${outcome.status === 'signed' ? 'ok' : 'warn'}`} id={`batch-outcome-${item.contractId}`}>
                  {outcome.status === 'signed' ? '✓ 已签署' : '未签署'}
                </Text>
              ) : (
                <Text className={`badge badge--${item.ready ? 'ok' : 'off'}`}>{item.ready ? '可签署' : '不可批量签署'}</Text>
              )}
            </View>
            {item.senderName && (
              <Text className='card__line muted'>
                {item.senderName} 发起{item.deadline ? ` · 截止 ${beijingTime(item.deadline, false)}` : ''}
              </Text>
            )}
            {!item.ready && item.error && <Text className='card__line batch__reason'>{item.error.message}</Text>}
            {outcome && outcome.status !== 'signed' && (
              <Text className='card__line batch__reason' id={`batch-reason-${item.contractId}`}>
                {outcomeText(outcome)}
              </Text>
            )}
            {(!item.ready || (outcome && outcome.status !== 'signed')) && item.error?.code !== 'CONTRACT_NOT_FOUND' && (
              <Text className='link' onClick={() => void Taro.navigateTo({ url: `/packages/signing/pages/sign/index?contractId=${item.contractId}` })}>
                打开合同 ›
              </Text>
            )}
          </View>
        ))}
      </View>

      {phase === 'choose' && rows && ready.length > 0 && need.signature && (
        <View className='card' id='batch-signature'>
          <Text className='card__title'>选择签名（用于以上全部合同）</Text>
          {signatures.length === 0 && <Text className='card__line muted'>您还没有签名，请先手写一个。</Text>}
          <View className='choice-grid'>
            {signatures.map((x) => (
              <View key={x.signatureId} id={`batch-sig-${x.signatureId}`} className={`choice ${signatureId === x.signatureId ? 'choice--on' : ''}`} onClick={() => setSignatureId(x.signatureId)}>
                <ApiImage path={x.imagePath} width={120} height={60} alt={x.kind === 'personal-seal' ? '个人印章' : '手写签名'} />
                <Text className='choice__mark'>{signatureId === x.signatureId ? '✓' : ''}</Text>
              </View>
            ))}
          </View>
          <Button id='batch-draw' className='btn-block' type='primary' fill='outline' onClick={() => void Taro.navigateTo({ url: HANDWRITING_PAGE })}>
            手写新签名
          </Button>
        </View>
      )}
      {phase === 'choose' && rows && ready.length > 0 && need.seal && (
        <View className='card' id='batch-seal'>
          <Text className='card__title'>选择企业印章（用于企业签署的合同）</Text>
          {seals.length === 0 && <Text className='card__line muted'>您没有可使用的本企业印章，请联系企业管理员授权。</Text>}
          {seals.map((x) => (
            <View key={x.sealId} id={`batch-seal-${x.sealId}`} className={`choice ${sealId === x.sealId ? 'choice--on' : ''}`} onClick={() => setSealId(x.sealId)}>
              <ApiImage path={x.imagePath} width={60} height={60} alt={x.name} />
              <Text>{x.name}</Text>
              <Text className='choice__mark'>{sealId === x.sealId ? '✓' : ''}</Text>
            </View>
          ))}
        </View>
      )}

      {phase !== 'intent' && <ErrorText error={action.error} id='batch-error' />}
      {ids.length === 0 && (
        <Button id='batch-go-list' className='btn-block' type='primary' onClick={() => void Taro.redirectTo({ url: `${LIST_PAGE}?box=todo` })}>
          去待我签署的合同
        </Button>
      )}

      {phase === 'choose' && rows && (
        <View className='sign__bar'>
          <View className='sign__bar-inner'>
            <Button id='batch-submit' type='primary' disabled={ready.length === 0} loading={action.busy} onClick={start}>
              {ready.length === 0 ? '没有可批量签署的合同' : `批量签署（${ready.length} 份）`}
            </Button>
          </View>
        </View>
      )}

      {(phase === 'intent' || phase === 'signing') && <View className='sheet__mask' onClick={() => phase === 'intent' && !action.busy && setPhase('choose')} />}
      {phase === 'intent' && (
        <View className='sheet' id='batch-intent-sheet'>
          <Text className='card__title'>意愿认证（一次确认 {ready.length} 份）</Text>
          <Text className='card__line muted'>为确认是您本人自愿签署以上 {ready.length} 份合同，将向您实名认证的手机号发送一个验证码。验证码只对这批合同有效。</Text>
          <View className='row sign__code'>
            <View className='field__control'>
              <Input id='batch-code' type='number' maxLength={6} value={code} placeholder='6 位验证码' onChange={(v: string) => setCode(v)} />
            </View>
            <Button id='batch-send-code' type='primary' fill='outline' disabled={wait > 0} loading={action.busy} onClick={() => void sendCode()}>
              {wait > 0 ? `${wait} 秒后重发` : '获取验证码'}
            </Button>
          </View>
          {codeSentTo && (
            <Text className='notice' id='batch-code-sent'>
              验证码已发送至 {codeSentTo}
            </Text>
          )}
          <ErrorText error={action.error} id='batch-intent-error' />
          <Button id='batch-confirm' className='btn-block' type='primary' disabled={code.length !== 6} loading={action.busy} onClick={() => void confirm()}>
            确认并签署 {ready.length} 份
          </Button>
        </View>
      )}
      {phase === 'signing' && (
        <View className='sheet' id='batch-progress' {...({ role: 'status' } as Record<string, string>)}>
          <Text className='card__title'>
            正在签署 {progress.done}/{progress.total}
          </Text>
          <View className='progress' {...({ role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': String(progress.total), 'aria-valuenow': String(progress.done) } as Record<string, string>)}>
            <View className='progress__fill' style={{ width: `${percent}%` }} />
          </View>
          <Text className='card__line muted'>每份合同单独签发数字证书、写入签名并加盖可信时间戳，请勿关闭页面。</Text>
        </View>
      )}
    </View>
  )
}
