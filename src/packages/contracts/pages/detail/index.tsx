import { useRef, useState } from 'react'
import Taro, { useDidShow, useRouter, useShareAppMessage } from '@tarojs/taro'
import { Text, Textarea, View } from '@tarojs/components'
import type { ChaseResponse, ContractSignatures, ContractView, SignatureOnPage, TimelineEntry } from '@api/contracts.types'
import { Button } from '@/components/ui'
import ErrorText, { Notice } from '@/components/error-text'
import ContractPages, { pageDisplayWidth } from '@/components/contract-pages'
import { useAction } from '@/hooks/use-action'
import { CONTRACT_STATUS, SIGNER_STATUS, VALIDITY_STATE, beijingTime } from '@/services/contract-labels'
import ApprovalProgress from '@/components/approval-progress'
import { contractsApi } from '@/services/contracts-api'
import { invite, inviteOpenType } from '@/services/platform/invite'
import { saveFile } from '@/services/platform/save-file'
import { savePdf } from '@/services/platform/save-pdf'
import { requireLogin } from '@/services/session'
import DateCell from '../../components/date-cell'
import { pointsToPixels } from '@/components/field-placer/geometry'
import { addDays, beijingDay, endOfBeijingDay, reminderText } from '../../lib/wizard'
import '../../contracts.css'

const VERDICT: Record<SignatureOnPage['verdict'], { text: string; badge: 'ok' | 'warn' | 'off' }> = {
  valid: { text: '签名有效', badge: 'ok' },
  indeterminate: { text: '无法确定', badge: 'warn' },
  invalid: { text: '签名无效', badge: 'off' },
}

const signPath = (id: string) => `/packages/signing/pages/sign/index?contractId=${id}`

/**
 * 合同详情: status, per-party progress, timeline, the pages (tap a signature or seal to see its
 * certificate and verification result), downloads of the current and original PDF, 撤销 (sender),
 * 归档, and 邀请签署 (WeChat share card; on H5 the link text is copied). A completed contract with
 * a validity end date shows 即将到期 / 已到期, its renewal chain (续签记录), and 续签 for the sender:
 * a new draft with the same parties, document and fields and new dates, opened here to send.
 */
export default function ContractDetail() {
  const contractId = useRouter().params.contractId ?? ''
  const self = `/packages/contracts/pages/detail/index?contractId=${contractId}`
  const [contract, setContract] = useState<ContractView>()
  const [timeline, setTimeline] = useState<TimelineEntry[]>([])
  const [sigs, setSigs] = useState<ContractSignatures>()
  const [shown, setShown] = useState<SignatureOnPage>()
  const [revoking, setRevoking] = useState(false)
  const [reason, setReason] = useState('')
  const [showPages, setShowPages] = useState(false)
  const [renewing, setRenewing] = useState(false)
  const [renewDeadline, setRenewDeadline] = useState('')
  const [renewValidUntil, setRenewValidUntil] = useState('')
  const action = useAction()
  const width = useRef(pageDisplayWidth()).current

  const load = () =>
    action.run(async () => {
      if (!contractId) throw new Error('没有指定合同')
      const [c, t] = await Promise.all([contractsApi.get(contractId), contractsApi.timeline(contractId)])
      setContract(c)
      setTimeline(t.items)
      // The signatures' verification takes a moment: loaded apart, so the buttons do not spin meanwhile.
      if (c.status !== 'draft') void contractsApi.signatures(contractId).then(setSigs, () => undefined)
    })

  useDidShow(() => {
    if (!requireLogin(self)) return
    void load()
  })

  useShareAppMessage(() => ({ title: contract ? `请签署《${contract.title}》` : '请签署合同', path: signPath(contractId) }))

  const inviteSigner = () =>
    action.run(async () => {
      action.setNotice(await invite(contract?.title ?? '合同', signPath(contractId)))
    })

  const download = (version: 'current' | 'original') =>
    action.run(async () => {
      if (!contract) return
      const base = (contract.document.fileName ?? contract.title).replace(/\.pdf$/i, '')
      await savePdf(contractsApi.pdfPath(contract.contractId, version), version === 'original' ? `${base}（原件）.pdf` : `${base}.pdf`)
    })

  /** The signed 证据报告 (PDF) or the evidence package (zip, checked offline by `esign evidence verify`), once completed. */
  const downloadEvidence = (what: 'report' | 'package') =>
    action.run(async () => {
      if (!contract) return
      if (what === 'report') await savePdf(contractsApi.evidenceReportPath(contract.contractId), `${contract.title}-证据报告.pdf`)
      else await saveFile(contractsApi.evidencePackagePath(contract.contractId), `${contract.title}-证据包.zip`)
    })

  /** 催办 one party whose turn it is, or all of them: says who was reminded and who not yet (and from when). */
  const chase = (partyId?: string) =>
    action.run(async () => {
      const r: ChaseResponse = await contractsApi.chase(contractId, partyId)
      const sent = r.chased.length > 0 ? `已提醒${r.chased.map((p) => p.name).join('、')}签署，并发送了新的签署链接。` : ''
      const held = r.skipped.map((p) => `${p.name}${p.retryAfter ? `（${beijingTime(p.retryAfter)} 后可再催办）` : '（通知未发出）'}`).join('、')
      action.setNotice(`${sent}${held ? `暂未催办：${held}` : ''}`)
    })

  /** 延期: the new deadline is the end of the chosen Beijing day. */
  const extend = (day: string) =>
    action.run(async () => {
      setContract(await contractsApi.extendDeadline(contractId, endOfBeijingDay(day)))
      setTimeline((await contractsApi.timeline(contractId)).items)
      action.setNotice(`签署截止时间已延长至 ${day} 23:59，提醒随之顺延。`)
    })

  const revoke = () =>
    action.run(async () => {
      if (!reason.trim()) throw new Error('请填写撤销原因')
      setContract(await contractsApi.revoke(contractId, reason.trim()))
      setRevoking(false)
      setTimeline((await contractsApi.timeline(contractId)).items)
      action.setNotice('合同已撤销，签署方将收到通知。')
    })

  /** The renew sheet starts from a 7-day deadline and a validity one year after the current one (both changeable). */
  const startRenewing = () => {
    if (!contract) return
    setRenewDeadline(addDays(new Date(), 7))
    const base = contract.validUntil && contract.validUntil > beijingDay(new Date()) ? new Date(`${contract.validUntil}T12:00:00+08:00`) : new Date()
    setRenewValidUntil(addDays(base, 365))
    setRenewing(true)
  }

  /** 续签: the draft opens in this page; its sender checks it and sends it. */
  const renew = () =>
    action.run(async () => {
      if (!renewDeadline) throw new Error('请选择新合同的签署截止日期')
      const draft = await contractsApi.renew(contractId, { deadline: endOfBeijingDay(renewDeadline), ...(renewValidUntil ? { validUntil: renewValidUntil } : {}) })
      setRenewing(false)
      void Taro.redirectTo({ url: `/packages/contracts/pages/detail/index?contractId=${draft.contractId}` })
    })

  const openContract = (id: string) => {
    if (id !== contractId) void Taro.navigateTo({ url: `/packages/contracts/pages/detail/index?contractId=${id}` })
  }

  const archive = () =>
    action.run(async () => {
      if (!contract) return
      setContract(await contractsApi.archive(contractId, !contract.archived))
      action.setNotice(contract.archived ? '已取消归档' : '已归档')
    })

  const send = () =>
    action.run(async () => {
      const sent = await contractsApi.send(contractId)
      setContract(sent)
      if (sent.status === 'pending_approval') action.setNotice('已提交内部审批，全部审批人同意后自动发出')
      setTimeline((await contractsApi.timeline(contractId)).items)
    })

  const status = contract ? CONTRACT_STATUS[contract.status] : undefined
  const signerParties = contract?.parties.filter((p) => p.role === 'signer') ?? []
  const signedCount = signerParties.filter((p) => p.status === 'signed').length

  return (
    <View className='page detail'>
      {!contract && !action.error && <Text className='card card__line muted'>加载中…</Text>}
      {contract && status && (
        <View className='card' id='detail-head'>
          <View className='citem__head'>
            <Text className='citem__title' id='detail-title'>
              {contract.title}
            </Text>
            <Text className={`badge badge--${status.badge}`} id='detail-status'>
              {status.text}
            </Text>
          </View>
          <Text className='card__line muted'>发起方：{contract.senderCompanyName ? `${contract.senderCompanyName}（${contract.senderName}）` : contract.senderName}</Text>
          <Text className='card__line muted'>发起时间：{beijingTime(contract.createdAt)}</Text>
          <Text className='card__line muted'>签署截止：{beijingTime(contract.deadline)}</Text>
          {contract.status === 'sent' && contract.reminders && (
            <Text className='card__line muted' id='detail-reminders'>
              自动催办：{reminderText(contract.reminders)}
            </Text>
          )}
          {contract.validUntil && (
            <View className='card__line detail__validity'>
              <Text className='muted'>合同到期：{contract.validUntil}</Text>
              {contract.validity && contract.validity !== 'in-force' && (
                <Text className={`badge badge--${VALIDITY_STATE[contract.validity].badge}`} id='detail-validity'>
                  {VALIDITY_STATE[contract.validity].text}
                </Text>
              )}
            </View>
          )}
          {contract.closedReason && <Text className='card__line'>原因：{contract.closedReason}</Text>}
          {contract.note && <Text className='card__line'>备注：{contract.note}</Text>}
          {contract.archived && <Text className='badge badge--off'>已归档</Text>}
          {contract.me.canSign && (
            <Button id='detail-sign' className='btn-block' type='primary' onClick={() => void Taro.navigateTo({ url: signPath(contractId) })}>
              去签署
            </Button>
          )}
          {contract.me.canSend && (
            <Button id='detail-send' className='btn-block' type='primary' loading={action.busy} onClick={() => void send()}>
              发送
            </Button>
          )}
        </View>
      )}

      <Notice text={action.notice} id='detail-notice' />
      <ErrorText error={action.error} id='detail-error' />

      {contract?.approval && (
        <View className='card' id='detail-approval'>
          <Text className='card__title'>内部审批</Text>
          <ApprovalProgress approval={contract.approval} id='detail-approval-progress' />
          {contract.status === 'draft' && contract.approval.status === 'rejected' && <Text className='card__line muted'>请按审批意见修改后重新发送，将开始新一轮审批。</Text>}
          {contract.me.canApprove && (
            <Button id='detail-approve' className='btn-block' type='primary' onClick={() => void Taro.navigateTo({ url: '/packages/approvals/pages/list/index' })}>
              去审批
            </Button>
          )}
        </View>
      )}

      {contract && (
        <View className='card' id='detail-parties'>
          <Text className='card__title'>
            签署进度 {signedCount}/{signerParties.length}
          </Text>
          {contract.parties.map((p) => (
            <View key={p.partyId} className='party-row' id={`detail-party-${p.partyId}`}>
              <View className='party-row__who'>
                <Text className='card__line'>
                  {p.name}
                  {p.memberName ? `（经办人 ${p.memberName}）` : ''}
                </Text>
                <Text className='card__line muted'>
                  {p.role === 'cc' ? '抄送' : `第 ${(p.group ?? 0) + 1} 批签署`} · {p.maskedPhone}
                  {p.signedAt ? ` · ${beijingTime(p.signedAt)}` : ''}
                </Text>
                {p.declineReason && <Text className='card__line'>拒签原因：{p.declineReason}</Text>}
              </View>
              {contract.me.canRevoke && (p.status === 'notified' || p.status === 'viewed') && (
                <Button id={`detail-chase-${p.partyId}`} size='small' type='primary' fill='outline' loading={action.busy} onClick={() => void chase(p.partyId)}>
                  催办
                </Button>
              )}
              {p.status && <Text className={`badge ${p.status === 'signed' ? 'badge--ok' : p.status === 'declined' ? 'badge--off' : 'badge--warn'}`}>{SIGNER_STATUS[p.status]}</Text>}
            </View>
          ))}
          {contract.me.canRevoke && (
            <DateCell id='detail-extend-deadline' title='延长签署截止' value={beijingDay(new Date(contract.deadline))} min={new Date(Date.parse(contract.deadline) + 86_400_000)} onChange={(day) => void extend(day)} />
          )}
          {contract.me.canRevoke && (
            <Button id='detail-chase-all' className='btn-block' type='primary' loading={action.busy} onClick={() => void chase()}>
              催办全部待签署方
            </Button>
          )}
          {contract.status === 'sent' && (
            <Button id='detail-invite' className='btn-block' type='primary' fill='outline' openType={inviteOpenType} onClick={() => void inviteSigner()}>
              邀请签署
            </Button>
          )}
        </View>
      )}

      {contract && (contract.renewalChain || contract.me.canRenew || contract.renewedBy) && (
        <View className='card' id='detail-renewal'>
          <Text className='card__title'>续签</Text>
          {contract.renewalChain?.map((l, i) => (
            <View key={l.contractId} className={`renewal-row${l.current ? ' renewal-row--current' : ''}`} id={`detail-renewal-${i}`} onClick={() => openContract(l.contractId)}>
              <View className='party-row__who'>
                <Text className='card__line'>
                  {i === 0 ? '原合同' : `第 ${i} 次续签`}：{l.title}
                  {l.current ? '（本合同）' : ''}
                </Text>
                <Text className='card__line muted'>{l.validUntil ? `到期 ${l.validUntil}` : `创建于 ${beijingTime(l.createdAt, false)}`}</Text>
              </View>
              <Text className={`badge badge--${CONTRACT_STATUS[l.status].badge}`}>{CONTRACT_STATUS[l.status].text}</Text>
            </View>
          ))}
          {/* A party sees the renewal once it is sent to them (until then it is the sender's draft). */}
          {!contract.renewalChain && contract.renewedBy && (
            <Text className='card__line muted' id='detail-renewed-by'>
              该合同已由发起方续签。
            </Text>
          )}
          {contract.me.canRenew && (
            <>
              <Text className='card__line muted'>续签将以相同的签署方、文件、签署位置和顺序创建新的合同草稿，确认后再发送。</Text>
              <Button id='detail-renew' className='btn-block' type='primary' onClick={startRenewing}>
                续签
              </Button>
            </>
          )}
        </View>
      )}

      {contract && (
        <View className='card' id='detail-actions'>
          <Text className='card__title'>文件</Text>
          <View className='actions'>
            <Button id='detail-download' type='primary' loading={action.busy} onClick={() => void download('current')}>
              下载合同
            </Button>
            <Button id='detail-download-original' type='default' loading={action.busy} onClick={() => void download('original')}>
              下载原件
            </Button>
          </View>
          {contract.status === 'completed' && (
            <View className='actions'>
              <Button id='detail-evidence-report' type='default' loading={action.busy} onClick={() => void downloadEvidence('report')}>
                下载证据报告
              </Button>
              <Button id='detail-evidence-package' type='default' loading={action.busy} onClick={() => void downloadEvidence('package')}>
                下载证据包
              </Button>
            </View>
          )}
          <View className='actions'>
            <Button id='detail-archive' type='default' onClick={() => void archive()}>
              {contract.archived ? '取消归档' : '归档'}
            </Button>
            {contract.me.canRevoke && (
              <Button id='detail-revoke' type='danger' fill='outline' onClick={() => setRevoking(true)}>
                撤销合同
              </Button>
            )}
          </View>
        </View>
      )}

      {timeline.length > 0 && (
        <View className='card' id='detail-timeline'>
          <Text className='card__title'>签署记录</Text>
          {timeline.map((e, i) => (
            <View key={i} className='timeline__item'>
              <Text className='card__line'>{e.text}</Text>
              <Text className='card__line muted'>{beijingTime(e.at)}</Text>
            </View>
          ))}
        </View>
      )}

      {contract && contract.pages.length > 0 && (
        <View id='detail-pages'>
          <Text className='link' id='detail-pages-toggle' onClick={() => setShowPages(!showPages)}>
            {showPages ? '收起合同内容 ▲' : `查看合同内容（${contract.pages.length} 页）▼`}
          </Text>
          {showPages && sigs && sigs.signatures.length > 0 && <Text className='card__line muted'>点击页面上的签名或印章，查看其数字证书和验证结果。</Text>}
          {showPages && (
            <ContractPages
              contractId={contract.contractId}
              pages={contract.pages}
              width={width}
              version={contract.document.latestSha256}
              overlay={(page) =>
                sigs?.signatures.flatMap((sig, si) =>
                  sig.widgets
                    .filter((w) => w.page === page)
                    .map((w, wi) => {
                      const box = pointsToPixels(w.rect, contract.pages[page]!, width)
                      return (
                        <View
                          key={`${si}-${wi}`}
                          id={`detail-sig-${si}-${page}-${wi}`}
                          className='cfield detail__sig'
                          style={{ left: `${box.left}px`, top: `${box.top}px`, width: `${Math.max(box.width, 24)}px`, height: `${Math.max(box.height, 24)}px` }}
                          {...({ role: 'button', 'aria-label': `查看 ${sig.signerName ?? '签名'} 的证书` } as Record<string, string>)}
                          onClick={() => setShown(sig)}
                        />
                      )
                    }),
                )
              }
            />
          )}
        </View>
      )}

      {(shown || revoking || renewing) && <View className='sheet__mask' onClick={() => (setShown(undefined), setRevoking(false), setRenewing(false))} />}
      {renewing && contract && (
        <View className='sheet' id='detail-renew-sheet'>
          <Text className='card__title'>续签《{contract.title}》</Text>
          <Text className='card__line muted'>新合同沿用原合同的签署方、文件和签署位置，请设置新的日期。</Text>
          <DateCell id='detail-renew-deadline' title='签署截止' value={renewDeadline} min={new Date()} onChange={setRenewDeadline} />
          <DateCell id='detail-renew-valid-until' title='合同到期' value={renewValidUntil} min={new Date()} onChange={setRenewValidUntil} clearable />
          <Button id='detail-renew-ok' className='btn-block' type='primary' loading={action.busy} onClick={() => void renew()}>
            创建续签草稿
          </Button>
        </View>
      )}
      {shown && (
        <View className='sheet' id='detail-certificate'>
          <View className='citem__head'>
            <Text className='card__title'>{shown.signerName ?? shown.fieldName}</Text>
            <Text className={`badge badge--${VERDICT[shown.verdict].badge}`} id='detail-verdict'>
              {VERDICT[shown.verdict].text}
            </Text>
          </View>
          <Text className='card__line'>{shown.summary}</Text>
          {shown.signingTime && <Text className='card__line muted'>签署时间：{beijingTime(shown.signingTime)}</Text>}
          {shown.certificate && (
            <View className='cert'>
              <Text className='card__line'>证书主体：{shown.certificate.subject}</Text>
              <Text className='card__line'>颁发机构：{shown.certificate.issuer}</Text>
              <Text className='card__line cert__serial'>序列号：{shown.certificate.serialNumber}</Text>
              <Text className='card__line'>
                有效期：{beijingTime(shown.certificate.notBefore, false)} 至 {beijingTime(shown.certificate.notAfter, false)}
              </Text>
            </View>
          )}
          <Button id='detail-certificate-close' className='btn-block' type='default' onClick={() => setShown(undefined)}>
            关闭
          </Button>
        </View>
      )}
      {revoking && (
        <View className='sheet' id='detail-revoke-sheet'>
          <Text className='card__title'>撤销合同</Text>
          <Text className='card__line muted'>撤销后合同不能再签署，所有签署方将收到通知。</Text>
          <Textarea id='detail-revoke-reason' className='textarea' value={reason} maxlength={500} placeholder='请填写撤销原因' onInput={(e) => setReason(e.detail.value)} />
          <Button id='detail-revoke-ok' className='btn-block' type='danger' loading={action.busy} onClick={() => void revoke()}>
            确认撤销
          </Button>
        </View>
      )}
    </View>
  )
}
