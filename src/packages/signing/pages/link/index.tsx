import { useEffect, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { SigningLinkView } from '@api/contracts.types'
import { Button } from '@/components/ui'
import ErrorText from '@/components/error-text'
import Field from '@/components/field'
import { useAction } from '@/hooks/use-action'
import { useCountdown } from '@/hooks/use-countdown'
import { beijingTime } from '@/services/contract-labels'
import { contractsApi } from '@/services/contracts-api'
import '../../signing.css'

/**
 * The page an SMS signing link opens (`/s/<token>` redirects here with `?token=`): which contract,
 * for whom, then an SMS code to the party's phone logs them in and opens the sign page.
 */
export default function SigningLink() {
  const token = useRouter().params.token ?? ''
  const [link, setLink] = useState<SigningLinkView>()
  const [code, setCode] = useState('')
  const [sentTo, setSentTo] = useState('')
  const { left: wait, start: countdown, startAfterError: resendTooSoon } = useCountdown()
  const action = useAction({ onError: resendTooSoon })

  useEffect(() => {
    if (!token) {
      action.setError('签署链接不完整，请从短信中重新打开')
      return
    }
    void action.run(async () => setLink(await contractsApi.link(token)))
  }, [token])

  const sendCode = () =>
    action.run(async () => {
      const sent = await contractsApi.linkCode(token)
      setSentTo(sent.maskedPhone + (sent.sandbox ? '。当前为沙箱环境，验证码在沙箱发件箱中。' : ''))
      countdown(sent.resendAfterSeconds || 60)
    })

  const login = () =>
    action.run(async () => {
      const r = await contractsApi.linkLogin(token, code)
      await Taro.redirectTo({ url: `/packages/signing/pages/sign/index?contractId=${encodeURIComponent(r.contractId)}` })
    })

  return (
    <View className='page'>
      <Text className='page__title'>签署邀请</Text>
      {link && (
        <View className='card' id='link-contract'>
          <Text className='card__title' id='link-title'>
            {link.contractTitle}
          </Text>
          <Text className='card__line'>发起方：{link.senderName}</Text>
          <Text className='card__line'>签署方：{link.partyName}</Text>
          <Text className='card__line muted'>截止时间：{beijingTime(link.deadline)}</Text>
        </View>
      )}
      {link && (
        <View className='card'>
          <Text className='card__line'>为确认是您本人，请输入发送至 {link.maskedPhone} 的验证码。</Text>
          <Field
            id='link-code'
            label='验证码'
            type='number'
            maxLength={6}
            placeholder='6 位验证码'
            value={code}
            onChange={setCode}
            extra={
              <Button id='link-send-code' type='primary' fill='outline' disabled={wait > 0} onClick={() => void sendCode()}>
                {wait > 0 ? `${wait} 秒后重发` : '获取验证码'}
              </Button>
            }
          />
          {sentTo && (
            <Text className='notice' id='link-sent'>
              验证码已发送至 {sentTo}
            </Text>
          )}
          <Button id='link-login' className='btn-block' type='primary' loading={action.busy} disabled={code.length !== 6} onClick={() => void login()}>
            查看并签署
          </Button>
        </View>
      )}
      <ErrorText error={action.error} id='link-error' />
    </View>
  )
}
