import { useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Button, Input, Text, View } from '@tarojs/components'
import type { PersonVerificationView } from '@api/identity.types'
import { identityApi } from '@/services/identity-api'
import ErrorText, { errorText } from '../../components/error-text'
import { requireLogin } from '../../components/require-login'
import Steps from '../../components/steps'
import '../../identity.css'

const SELF = '/packages/identity/pages/person/index'
const STEP_INDEX: Record<PersonVerificationView['nextStep'], number> = { details: 0, face: 1, done: 3 }

/** Where the face provider sends an H5 browser back to (this page, with face=done). */
function h5ReturnUrl(): string | undefined {
  if (typeof window === 'undefined' || !window.location) return undefined
  return `${window.location.origin}${window.location.pathname}#${SELF}?face=done`
}

/** 个人实名认证：姓名 + 身份证号 + 手机号（运营商三要素）→ 人脸核验 → 完成（签发个人证书）。 */
export default function Person() {
  const router = useRouter()
  const [view, setView] = useState<PersonVerificationView>()
  const [form, setForm] = useState({ name: '', idNumber: '', phone: '' })
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
      if ((err as { code?: string }).code === 'FACE_FAILED' || (err as { code?: string }).code === 'FACE_SESSION_EXPIRED') {
        setView(await identityApi.person().catch(() => view))
      }
    } finally {
      setBusy(false)
    }
  }

  const checkResult = () =>
    run(async () => {
      setView(await identityApi.faceResult())
    })

  useDidShow(() => {
    if (!requireLogin(SELF)) return
    void run(async () => {
      const v = await identityApi.person()
      setView(v)
      if (router.params.face === 'done' && v.status === 'checked' && v.face.inProgress) {
        setView(await identityApi.faceResult())
      }
    })
  })

  const submit = () =>
    run(async () => {
      setView(await identityApi.submitPerson(form))
    })

  const startFace = () =>
    run(async () => {
      const isWeb = Taro.getEnv() === Taro.ENV_TYPE.WEB
      const started = await identityApi.startFace(isWeb ? h5ReturnUrl() : undefined)
      if (isWeb) {
        window.location.href = started.url
        return
      }
      await Taro.navigateTo({ url: `/packages/identity/pages/web-view/index?url=${encodeURIComponent(started.url)}` })
      setNotice('完成人脸核验后，请点击“查询核验结果”。')
      setView((v) => (v ? { ...v, face: { ...v.face, inProgress: true } } : v))
    })

  const current = view ? STEP_INDEX[view.nextStep] : 0
  const set = (key: keyof typeof form) => (e: { detail: { value: string } }) => setForm({ ...form, [key]: e.detail.value })

  return (
    <View className='page'>
      <Text className='page__title'>
        个人实名认证{view?.sandbox && <Text className='sandbox-tag'>沙箱</Text>}
      </Text>
      <Steps steps={['填写信息', '人脸核验', '完成']} current={current} />
      {view?.sandbox && current < 3 && (
        <Text className='notice' id='person-sandbox-hint'>
          沙箱环境：可使用测试身份 张三 / 110101199003070011 / 13800000001，人脸核验为模拟页面。
        </Text>
      )}

      {view?.nextStep === 'details' && (
        <View className='card' id='person-form'>
          <Text className='card__line'>请填写本人身份证上的信息，手机号需登记在本人名下。</Text>
          <View className='field'>
            <Text className='field__label'>姓名</Text>
            <Input id='person-name' className='field__input' placeholder='与身份证一致' value={form.name} onInput={set('name')} />
          </View>
          <View className='field'>
            <Text className='field__label'>身份证号</Text>
            <Input id='person-id-number' className='field__input' type='idcard' maxlength={18} placeholder='18 位居民身份证号' value={form.idNumber} onInput={set('idNumber')} />
          </View>
          <View className='field'>
            <Text className='field__label'>手机号</Text>
            <Input id='person-phone' className='field__input' type='number' maxlength={11} placeholder='本人实名登记的手机号' value={form.phone} onInput={set('phone')} />
          </View>
          <Button id='person-submit' className='btn' loading={busy} disabled={busy || !form.name || !form.idNumber || !form.phone} onClick={() => void submit()}>
            提交核验
          </Button>
        </View>
      )}

      {view?.nextStep === 'face' && (
        <View className='card' id='person-face'>
          <Text className='card__line'>姓名：{view.name}</Text>
          <Text className='card__line'>身份证号：{view.maskedIdNumber}</Text>
          <Text className='card__line'>手机号：{view.maskedPhone}</Text>
          <Text className='card__line' id='person-face-attempts'>
            {view.face.lockedUntil
              ? `人脸核验失败次数过多，已锁定至 ${new Date(view.face.lockedUntil).toLocaleString('zh-CN')}`
              : `人脸核验剩余次数：${view.face.attemptsLeft} 次`}
          </Text>
          <Button id='person-face-start' className='btn' loading={busy} disabled={busy || Boolean(view.face.lockedUntil)} onClick={() => void startFace()}>
            开始人脸核验
          </Button>
          {view.face.inProgress && (
            <Button id='person-face-result' className='btn--secondary' disabled={busy} onClick={() => void checkResult()}>
              查询核验结果
            </Button>
          )}
        </View>
      )}

      {view?.nextStep === 'done' && (
        <View className='card' id='person-done'>
          <Text className='card__line' id='person-status'>
            ✓ 已完成实名认证
          </Text>
          <Text className='card__line'>姓名：{view.name}</Text>
          <Text className='card__line'>身份证号：{view.maskedIdNumber}</Text>
          <Text className='card__line'>手机号：{view.maskedPhone}</Text>
          {view.certificate && (
            <Text className='card__line' id='person-certificate'>
              个人数字证书：{view.certificate.serialNumber.slice(0, 16)}…（有效期至 {view.certificate.notAfter.slice(0, 10)}）
            </Text>
          )}
          <Text className='link' id='person-to-company' onClick={() => void Taro.navigateTo({ url: '/packages/identity/pages/company/index' })}>
            企业认证 ›
          </Text>
        </View>
      )}

      {notice && <Text className='notice'>{notice}</Text>}
      <ErrorText error={error} id='person-error' />
    </View>
  )
}
