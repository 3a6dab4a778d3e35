import { useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { CompanyView, MemberView } from '@api/identity.types'
import { Button, Cell, CellGroup } from '@/components/ui'
import ErrorText, { Notice } from '@/components/error-text'
import Field from '@/components/field'
import { useAction } from '@/hooks/use-action'
import { identityApi } from '@/services/identity-api'
import { openPdf } from '@/services/platform/open-pdf'
import { getActingContext, requireLogin, setActingContext } from '@/services/session'
import Steps from '../../components/steps'
import '../../identity.css'

/** Steps: 工商核验 (done once the record exists) → 授权或打款 → 完成. */
const stepOf = (c: CompanyView) => (c.status === 'verified' ? 3 : 1)
const ROLE_LABELS = { admin: '管理员', operator: '经办人' } as const

/** 企业认证详情：法定代表人授权（签署授权书）或对公打款；完成后：成员、企业印章、印章授权、用印审批。 */
export default function CompanyDetail() {
  const { params } = useRouter()
  const id = params.id ?? ''
  const [company, setCompany] = useState<CompanyView>()
  const [members, setMembers] = useState<MemberView[]>([])
  const [code, setCode] = useState('')
  const [codeHint, setCodeHint] = useState<string>()
  const [bank, setBank] = useState({ bankName: '', bankAccount: '' })
  const [amount, setAmount] = useState('')
  const [invite, setInvite] = useState({ phone: '', role: 'operator' as 'admin' | 'operator' })
  const [acting, setActing] = useState(false)
  const action = useAction({ onError: () => identityApi.company(id).then(setCompany, () => undefined) })
  const { busy, run } = action

  /** Show a company answer; once verified, with its members. */
  const show = async (c: CompanyView) => {
    setCompany(c)
    if (c.status === 'verified' && (c.myRole === 'admin' || c.myRole === 'operator')) setMembers(await identityApi.members(id))
  }

  useDidShow(() => {
    if (!requireLogin(`/packages/identity/pages/company-detail/index?id=${id}`)) return
    const ctx = getActingContext()
    setActing(ctx.kind === 'company' && ctx.companyId === id)
    void run(async () => show(await identityApi.company(id)))
  })

  const go = (page: string, query = '') => void Taro.navigateTo({ url: `/packages/seals/pages/${page}/index?companyId=${id}${query}` })

  const c = company
  const a = c?.authorization
  const md = c?.microDeposit
  const depositOpen = md?.state === 'awaiting-amount'
  const isApplicant = c?.myRole === 'applicant'
  const isLegalRep = Boolean(a?.callerIsLegalRep) || c?.myRole === 'legal-rep'
  const isMember = c?.myRole === 'admin' || c?.myRole === 'operator'

  return (
    <View className='page'>
      <Text className='page__title'>{c?.name ?? '企业认证'}</Text>
      {c && <Steps steps={['工商核验', '授权或打款', '完成']} current={stepOf(c)} />}
      {c && (
        <View className='card'>
          <Text className='card__line'>统一社会信用代码：{c.creditCode}</Text>
          <Text className='card__line'>
            法定代表人：{c.legalRepName}（{c.maskedLegalRepIdNumber}）
          </Text>
          <Text className='card__line' id='company-status'>
            状态：{c.status === 'verified' ? `已认证（${c.method === 'micro-deposit' ? '对公打款' : '法定代表人授权'}）` : '认证中'}
          </Text>
          {c.certificate && <Text className='card__line'>企业数字证书：{c.certificate.serialNumber.slice(0, 16)}…</Text>}
        </View>
      )}

      {c?.status === 'pending' && (isApplicant || isLegalRep) && (
        <View className='card' id='company-authorization'>
          <Text className='card__title'>方式一：法定代表人授权</Text>
          {!a && isApplicant && (
            <Button id='letter-create' className='btn-block' type='primary' loading={busy} onClick={() => void run(async () => setCompany({ ...c, authorization: await identityApi.createLetter(id) }))}>
              生成授权书
            </Button>
          )}
          {a && (
            <View>
              <Text className='card__line'>授权书编号：{a.letterId}</Text>
              <Text className='link' id='letter-open' onClick={() => void run(() => openPdf(identityApi.letterUrl(id)))}>
                查看授权书 ›
              </Text>
              {!isLegalRep && (
                <Text className='notice' id='letter-waiting'>
                  请法定代表人 {c.legalRepName} 本人登录签约、完成个人实名认证后打开本企业，验证短信验证码并签署授权书。
                </Text>
              )}
            </View>
          )}
          {a && isLegalRep && (
            <View id='letter-sign'>
              <Field
                id='letter-code'
                label='短信验证码'
                type='number'
                maxLength={6}
                placeholder='6 位验证码'
                value={code}
                onChange={setCode}
                extra={
                  <Button
                    id='letter-send-code'
                    type='primary'
                    fill='outline'
                    disabled={busy}
                    onClick={() =>
                      void run(async () => {
                        const sent = await identityApi.requestLetterCode(id)
                        setCodeHint(`验证码已发送至 ${sent.maskedPhone}${sent.sandbox ? '（沙箱：请在沙箱发件箱查看）' : ''}`)
                      })
                    }
                  >
                    获取验证码
                  </Button>
                }
              />
              {codeHint && <Text className='notice'>{codeHint}</Text>}
              <Button id='letter-submit' className='btn-block' type='primary' loading={busy} disabled={code.length !== 6} onClick={() => void run(async () => show(await identityApi.signLetter(id, code)))}>
                确认意愿并签署授权书
              </Button>
            </View>
          )}
        </View>
      )}

      {c?.status === 'pending' && isApplicant && c.microDepositAvailable && (
        <View className='card' id='company-deposit'>
          <Text className='card__title'>方式二：对公打款</Text>
          {!depositOpen && (
            <View>
              {md && <Text className='card__line'>上次打款已{md.state === 'expired' ? '超过 72 小时' : '用完 3 次填写机会'}，请重新发起。</Text>}
              <Field id='deposit-bank-name' label='开户银行' placeholder='如：中国工商银行上海分行' value={bank.bankName} onChange={(v) => setBank((b) => ({ ...b, bankName: v }))} />
              <Field id='deposit-bank-account' label={`对公账号（户名须为 ${c.name}）`} type='number' placeholder='企业对公银行账号' value={bank.bankAccount} onChange={(v) => setBank((b) => ({ ...b, bankAccount: v }))} />
              <Button id='deposit-start' className='btn-block' type='primary' loading={busy} disabled={!bank.bankName || !bank.bankAccount} onClick={() => void run(async () => setCompany(await identityApi.startDeposit(id, bank.bankName, bank.bankAccount)))}>
                发起对公打款
              </Button>
            </View>
          )}
          {depositOpen && md && (
            <View>
              <Text className='card__line'>
                已向 {md.bankName}（{md.maskedBankAccount}）打入 0.01–0.99 元的随机金额，请查看账户流水后填写。
              </Text>
              <Text className='card__line' id='deposit-attempts'>
                剩余 {md.attemptsLeft} 次机会，{md.expiresAt.slice(0, 16).replace('T', ' ')} 前有效
              </Text>
              <Field id='deposit-amount' label='收到的金额（元）' type='digit' placeholder='如 0.37' value={amount} onChange={setAmount} />
              <Button id='deposit-confirm' className='btn-block' type='primary' loading={busy} disabled={!amount} onClick={() => void run(async () => show(await identityApi.confirmDeposit(id, amount)))}>
                确认金额
              </Button>
            </View>
          )}
        </View>
      )}

      {c?.status === 'verified' && (
        <View className='card' id='company-verified-card'>
          <Text className='card__line' id='company-verified'>
            ✓ 企业认证已完成
          </Text>
          {isMember && (
            <View className='actions'>
              <Button
                id='company-act'
                type='primary'
                fill={acting ? 'outline' : undefined}
                onClick={() => {
                  setActingContext(acting ? { kind: 'person' } : { kind: 'company', companyId: id, companyName: c.name })
                  setActing(!acting)
                }}
              >
                {acting ? '切换回个人身份' : '以本企业身份办理'}
              </Button>
            </View>
          )}
          {acting && <Text className='card__line muted' id='company-acting'>当前身份：{c.name}</Text>}
        </View>
      )}

      {c?.status === 'verified' && isMember && (
        <CellGroup className='company__links' id='company-seal-links'>
          <View id='company-link-seals'>
            <Cell title='企业印章' description='制作、上传和查看本企业的印章' extra='›' clickable onClick={() => go('list')} />
          </View>
          {c.myRole === 'admin' && (
            <View id='company-link-grants'>
              <Cell title='印章授权' description='授权成员在期限内使用印章' extra='›' clickable onClick={() => go('list', '&focus=grants')} />
            </View>
          )}
          <View id='company-link-approvals'>
            <Cell title='用印审批' description='查看和审批用印申请' extra='›' clickable onClick={() => go('approval')} />
          </View>
          {c.myRole === 'admin' && (
            <View id='company-link-approval-policy'>
              <Cell title='合同审批设置' description='发出合同前由指定成员审批' extra='›' clickable onClick={() => void Taro.navigateTo({ url: `/packages/approvals/pages/policy/index?companyId=${id}` })} />
            </View>
          )}
          {c.myRole === 'admin' && (
            <View id='company-link-webhooks'>
              <Cell title='事件推送（Webhook）' description='合同状态变化时推送到贵司系统' extra='›' clickable onClick={() => void Taro.navigateTo({ url: `/packages/webhooks/pages/endpoints/index?companyId=${id}` })} />
            </View>
          )}
        </CellGroup>
      )}

      {c?.status === 'verified' && isMember && (
        <View className='card' id='company-members'>
          <Text className='card__title'>成员</Text>
          {members.map((m) => (
            <Text key={m.userId} className='card__line'>
              {m.name} · {ROLE_LABELS[m.role]}
              {m.maskedPhone ? ` · ${m.maskedPhone}` : ''}
            </Text>
          ))}
          {c.myRole === 'admin' && (
            <View>
              <Field id='invite-phone' label='邀请成员' type='number' maxLength={11} placeholder='被邀请人手机号' value={invite.phone} onChange={(v) => setInvite((i) => ({ ...i, phone: v }))} />
              <View className='actions' id='invite-role'>
                {(['operator', 'admin'] as const).map((r) => (
                  <Button key={r} id={`invite-role-${r}`} type='primary' fill={invite.role === r ? 'solid' : 'outline'} onClick={() => setInvite((i) => ({ ...i, role: r }))}>
                    {invite.role === r ? `✓ ${ROLE_LABELS[r]}` : ROLE_LABELS[r]}
                  </Button>
                ))}
              </View>
              <Button
                id='invite-submit'
                className='btn-block'
                type='primary'
                loading={busy}
                disabled={invite.phone.length < 11}
                onClick={() =>
                  void run(async () => {
                    const sent = await identityApi.invite(id, invite.phone, invite.role)
                    action.setNotice(`已邀请 ${sent.maskedPhone}，对方登录并完成实名认证后即可加入。`)
                  })
                }
              >
                邀请成员
              </Button>
            </View>
          )}
        </View>
      )}

      <Notice text={action.notice} id='company-notice' />
      <ErrorText error={action.error} id='company-detail-error' />
    </View>
  )
}
