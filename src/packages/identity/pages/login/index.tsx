import { useEffect, useRef, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Input, Text, View } from '@tarojs/components'
import { identityApi } from '@/services/identity-api'
import ErrorText, { errorText } from '../../components/error-text'
import '../../identity.css'

/** 短信验证码登录（首次登录自动注册）；小程序内可用微信登录。 */
export default function Login() {
  const router = useRouter()
  const next = router.params.next ? decodeURIComponent(router.params.next) : '/packages/identity/pages/person/index'
  const [phone, setPhone] = useState('')
  const [code, setCode] = useState('')
  const [wait, setWait] = useState(0)
  const [sandbox, setSandbox] = useState(false)
  const [sentTo, setSentTo] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const timer = useRef<ReturnType<typeof setInterval>>()

  useEffect(() => () => clearInterval(timer.current), [])

  const countdown = (seconds: number) => {
    setWait(seconds)
    clearInterval(timer.current)
    timer.current = setInterval(() => {
      setWait((w) => {
        if (w <= 1) clearInterval(timer.current)
        return Math.max(0, w - 1)
      })
    }, 1000)
  }

  const sendCode = async () => {
    setError(undefined)
    try {
      const sent = await identityApi.requestLoginCode(phone)
      setSentTo(sent.maskedPhone)
      setSandbox(sent.sandbox)
      countdown(sent.resendAfterSeconds)
    } catch (err) {
      setError(errorText(err))
      const retry = (err as { code?: string }).code === 'SMS_RESEND_TOO_SOON' ? 60 : 0
      if (retry) countdown(retry)
    }
  }

  const done = () => {
    void Taro.redirectTo({ url: next }).catch(() => Taro.switchTab({ url: '/pages/mine/index' }))
  }

  const login = async () => {
    setBusy(true)
    setError(undefined)
    try {
      await identityApi.loginWithSms(phone, code)
      done()
    } catch (err) {
      setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  const loginWithWeChat = async () => {
    setError(undefined)
    try {
      const { code: wxCode } = await Taro.login()
      await identityApi.loginWithWeChat(wxCode)
      done()
    } catch (err) {
      setError(errorText(err))
    }
  }

  return (
    <View className='page'>
      <Text className='page__title'>登录签约</Text>
      <Text className='page__desc'>使用手机号和短信验证码登录，首次登录将自动创建账号。</Text>
      <View className='card'>
        <View className='field'>
          <Text className='field__label'>手机号</Text>
          <Input id='login-phone' className='field__input' type='number' maxlength={11} placeholder='请输入 11 位手机号' value={phone} onInput={(e) => setPhone(e.detail.value)} />
        </View>
        <View className='field'>
          <Text className='field__label'>验证码</Text>
          <View className='row'>
            <Input id='login-code' className='field__input' type='number' maxlength={6} placeholder='6 位验证码' value={code} onInput={(e) => setCode(e.detail.value)} />
            <Button id='login-send-code' size='mini' disabled={wait > 0 || phone.length < 11} onClick={() => void sendCode()}>
              {wait > 0 ? `${wait} 秒后重发` : '获取验证码'}
            </Button>
          </View>
        </View>
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
        <ErrorText error={error} id='login-error' />
        <Button id='login-submit' className='btn' loading={busy} disabled={busy || phone.length < 11 || code.length !== 6} onClick={() => void login()}>
          登录
        </Button>
        {process.env.TARO_ENV === 'weapp' && (
          <Button className='btn--secondary' onClick={() => void loginWithWeChat()}>
            微信一键登录
          </Button>
        )}
      </View>
    </View>
  )
}
