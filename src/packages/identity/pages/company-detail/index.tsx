import { useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Button, Input, Text, View } from '@tarojs/components'
import type { CompanyView, MemberView } from '@api/identity.types'
import { identityApi } from '@/services/identity-api'
import { authHeader } from '@/services/session'
import ErrorText, { errorText } from '../../components/error-text'
import { requireLogin } from '../../components/require-login'
import Steps from '../../components/steps'
import '../../identity.css'

/** Steps: 工商核验 (done once the record exists) → 授权或打款 → 完成. */
const stepOf = (c: CompanyView) => (c.status === 'verified' ? 3 : 1)

/** 企业认证详情：法定代表人授权（签署授权书）或对公打款，完成后管理成员。 */
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
  const [error, setError] = useState<string>()
  const [notice, setNotice] = useState<string>()
  const [busy, setBusy] = useState(false)

  const run = async (action: () => Promise<void>) => {
    setBusy(true)
    setError(undefined)
    setNotice(undefined)
    try {
      await action()
    } catch (err) {
      setError(errorText(err))
      await identityApi.company(id).then(setCompany, () => undefined)
    } finally {
      setBusy(false)
    }
  }

  /** Show a company answer; once verified, with its members. */
  const show = async (c: CompanyView) => {
    setCompany(c)
    if (c.status === 'verified' && (c.myRole === 'admin' || c.myRole === 'operator')) setMembers(await identityApi.members(id))
  }

  const load = () => run(async () => show(await identityApi.company(id)))

  useDidShow(() => {
    if (requireLogin(`/packages/identity/pages/company-detail/index?id=${id}`)) void load()
  })

  const openLetter = () =>
    run(async () => {
      const url = `${API_BASE_URL}${identityApi.letterUrl(id)}`
      if (Taro.getEnv() === Taro.ENV_TYPE.WEB) {
        const res = await fetch(url, { headers: authHeader() })
        if (!res.ok) throw new Error('授权书下载失败')
        window.open(URL.createObjectURL(await res.blob()), '_blank')
        return
      }
      const file = await Taro.downloadFile({ url, header: authHeader() })
      await Taro.openDocument({ filePath: file.tempFilePath, fileType: 'pdf', showMenu: true })
    })

  const c = company
  const a = c?.authorization
  const md = c?.microDeposit
  const depositOpen = md?.state === 'awaiting-amount'
  const isApplicant = c?.myRole === 'applicant'
  const isLegalRep = Boolean(a?.callerIsLegalRep) || c?.myRole === 'legal-rep'

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
          <Text className='card__line'>方式一：法定代表人授权</Text>
          {!a && isApplicant && (
            <Button id='letter-create' className='btn' disabled={busy} onClick={() => void run(async () => setCompany({ ...c, authorization: await identityApi.createLetter(id) }))}>
              生成授权书
            </Button>
          )}
          {a && (
            <View>
              <Text className='card__line'>授权书编号：{a.letterId}</Text>
              <Text className='link' onClick={() => void openLetter()}>
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
              <View className='field row'>
                <Input id='letter-code' className='field__input' type='number' maxlength={6} placeholder='短信验证码' value={code} onInput={(e) => setCode(e.detail.value)} />
                <Button
                  id='letter-send-code'
                  size='mini'
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
              </View>
              {codeHint && <Text className='notice'>{codeHint}</Text>}
              <Button id='letter-submit' className='btn' loading={busy} disabled={busy || code.length !== 6} onClick={() => void run(async () => show(await identityApi.signLetter(id, code)))}>
                确认意愿并签署授权书
              </Button>
            </View>
          )}
        </View>
      )}

      {c?.status === 'pending' && isApplicant && c.microDepositAvailable && (
        <View className='card' id='company-deposit'>
          <Text className='card__line'>方式二：对公打款</Text>
          {!depositOpen && (
            <View>
              {md && <Text className='card__line'>上次打款已{md.state === 'expired' ? '超过 72 小时' : '用完 3 次填写机会'}，请重新发起。</Text>}
              <View className='field'>
                <Text className='field__label'>开户银行</Text>
                <Input id='deposit-bank-name' className='field__input' value={bank.bankName} onInput={(e) => setBank({ ...bank, bankName: e.detail.value })} />
              </View>
              <View className='field'>
                <Text className='field__label'>对公账号（户名须为 {c.name}）</Text>
                <Input id='deposit-bank-account' className='field__input' type='number' value={bank.bankAccount} onInput={(e) => setBank({ ...bank, bankAccount: e.detail.value })} />
              </View>
              <Button id='deposit-start' className='btn' disabled={busy || !bank.bankName || !bank.bankAccount} onClick={() => void run(async () => setCompany(await identityApi.startDeposit(id, bank.bankName, bank.bankAccount)))}>
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
              <View className='field'>
                <Input id='deposit-amount' className='field__input' type='digit' placeholder='收到的金额，如 0.37' value={amount} onInput={(e) => setAmount(e.detail.value)} />
              </View>
              <Button id='deposit-confirm' className='btn' disabled={busy || !amount} onClick={() => void run(async () => show(await identityApi.confirmDeposit(id, amount)))}>
                确认金额
              </Button>
            </View>
          )}
        </View>
      )}

      {c?.status === 'verified' && (
        <View className='card' id='company-members'>
          <Text className='card__line' id='company-verified'>
            ✓ 企业认证已完成
          </Text>
          {members.map((m) => (
            <Text key={m.userId} className='card__line'>
              {m.name} · {m.role === 'admin' ? '管理员' : '经办人'}
              {m.maskedPhone ? ` · ${m.maskedPhone}` : ''}
            </Text>
          ))}
          {c.myRole === 'admin' && (
            <View>
              <View className='field row'>
                <Input id='invite-phone' className='field__input' type='number' maxlength={11} placeholder='被邀请人手机号' value={invite.phone} onInput={(e) => setInvite({ ...invite, phone: e.detail.value })} />
                <Button size='mini' onClick={() => setInvite({ ...invite, role: invite.role === 'admin' ? 'operator' : 'admin' })}>
                  {invite.role === 'admin' ? '管理员' : '经办人'}
                </Button>
              </View>
              <Button
                id='invite-submit'
                className='btn--secondary'
                disabled={busy || invite.phone.length < 11}
                onClick={() =>
                  void run(async () => {
                    const sent = await identityApi.invite(id, invite.phone, invite.role)
                    setNotice(`已邀请 ${sent.maskedPhone}，对方登录并完成实名认证后即可加入。`)
                  })
                }
              >
                邀请成员
              </Button>
            </View>
          )}
        </View>
      )}

      {notice && <Text className='notice'>{notice}</Text>}
      <ErrorText error={error} id='company-detail-error' />
    </View>
  )
}
