import { useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { Button } from '@/components/ui'
import ErrorText from '@/components/error-text'
import Field from '@/components/field'
import { useAction } from '@/hooks/use-action'
import { useCountdown } from '@/hooks/use-countdown'
import { identityApi } from '@/services/identity-api'
import { canLoginWithWeChat } from '@/services/platform/wechat-login'
import '../../identity.css'

/** 短信验证码登录（首次登录自动注册）；小程序内可用微信登录。 */
export default function Login() {
  const router = useRouter()
  const next = router.params.next ? decodeURIComponent(router.params.next) : '/pages/index/index'
  const [phone, setPhone] = useState('')
  const [code, setCode] = useState('')
  const { left: wait, start: countdown, startAfterError: resendTooSoon } = useCountdown()
  const [sandbox, setSandbox] = useState(false)
  const [sentTo, setSentTo] = useState('')
  const action = useAction({ onError: resendTooSoon })
  const sendCode = () =>
    action.run(async () => {
      const sent = await identityApi.requestLoginCode(phone)
      setSentTo(sent.maskedPhone)
      setSandbox(sent.sandbox)
      countdown(sent.resendAfterSeconds)
    })

  /** Back where the user came from; tab pages (首页, 我的) need switchTab. */
  const done = () => {
    const tab = next.startsWith('/pages/')
    void (tab ? Taro.switchTab({ url: next.split('?')[0]! }) : Taro.redirectTo({ url: next })).catch(() => Taro.switchTab({ url: '/pages/mine/index' }))
  }

  const login = () =>
    action.run(async () => {
      await identityApi.loginWithSms(phone, code)
      done()
    })

  const loginWithWeChat = () =>
    action.run(async () => {
      const { code: wxCode } = await Taro.login()
      await identityApi.loginWithWeChat(wxCode)
      done()
    })

  return (
    <View className='page'>
      <Text className='page__title'>登录签约</Text>
      <Text className='page__desc'>使用手机号和短信验证码登录，首次登录将自动创建账号。</Text>
      <View className='card'>
        <Field id='login-phone' label='手机号' type='number' maxLength={11} placeholder='请输入 11 位手机号' value={phone} onChange={setPhone} />
        <Field
          id='login-code'
          label='验证码'
          type='number'
          maxLength={6}
          placeholder='6 位验证码'
          value={code}
          onChange={setCode}
          extra={
            <Button id='login-send-code' type='primary' fill='outline' disabled={wait > 0 || phone.length < 11} onClick={() => void sendCode()}>
              {wait > 0 ? `${wait} 秒后重发` : '获取验证码'}
            </Button>
          }
        />
        {sentTo && (
          <Text className='notice' id='login-sent'>
            验证码已发送至 {sentTo}，5 分钟内有效。
            {sandbox ? '当前为沙箱环境：短信不会真实发送，请在“沙箱发件箱”查看验证码。' : ''}
          </Text>
        )}
        {sandbox && (
          <Text className='link' id='login-outbox' onClick={() => void Taro.navigateTo({ url: '/packages/identity/pages/outbox/index' })}>
            打开沙箱发件箱 ›
          </Text>
        )}
        <ErrorText error={action.error} id='login-error' />
        <Button id='login-submit' className='btn-block' type='primary' loading={action.busy} disabled={phone.length < 11 || code.length !== 6} onClick={() => void login()}>
          登录
        </Button>
        {canLoginWithWeChat && (
          <Button className='btn-block' type='primary' fill='outline' onClick={() => void loginWithWeChat()}>
            微信一键登录
          </Button>
        )}
      </View>
    </View>
  )
}
