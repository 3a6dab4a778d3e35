import { useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { PersonVerificationView } from '@api/identity.types'
import { Button } from '@/components/ui'
import ErrorText, { Notice } from '@/components/error-text'
import Field from '@/components/field'
import { useAction } from '@/hooks/use-action'
import { identityApi } from '@/services/identity-api'
import { openFaceVerification } from '@/services/platform/face'
import { requireLogin } from '@/services/session'
import Steps from '../../components/steps'
import '../../identity.css'

const SELF = '/packages/identity/pages/person/index'
const STEP_INDEX: Record<PersonVerificationView['nextStep'], number> = { details: 0, face: 1, done: 3 }

/** 个人实名认证：姓名 + 身份证号 + 手机号（运营商三要素）→ 人脸核验 → 完成（签发个人证书）。 */
export default function Person() {
  const router = useRouter()
  // Where to go back once verified (the sign page sends people here and wants them back).
  const next = router.params.next ? decodeURIComponent(router.params.next) : undefined
  const self = next ? `${SELF}?next=${encodeURIComponent(next)}` : SELF
  const [view, setView] = useState<PersonVerificationView>()
  const [form, setForm] = useState({ name: '', idNumber: '', phone: '' })
  const action = useAction({
    onError: async (err) => {
      const code = (err as { code?: string }).code
      if (code === 'FACE_FAILED' || code === 'FACE_SESSION_EXPIRED') setView(await identityApi.person().catch(() => view))
    },
  })
  const { busy, run } = action

  const checkResult = () => run(async () => setView(await identityApi.faceResult()))

  useDidShow(() => {
    if (!requireLogin(self)) return
    void run(async () => {
      const v = await identityApi.person()
      setView(v)
      if (router.params.face === 'done' && v.status === 'checked' && v.face.inProgress) setView(await identityApi.faceResult())
    })
  })

  const submit = () => run(async () => setView(await identityApi.submitPerson(form)))

  const startFace = () =>
    run(async () => {
      const outcome = await openFaceVerification((returnUrl) => identityApi.startFace(returnUrl), self)
      if (outcome === 'returned-later') {
        action.setNotice('完成人脸核验后，请点击“查询核验结果”。')
        setView((v) => (v ? { ...v, face: { ...v.face, inProgress: true } } : v))
      }
    })

  const current = view ? STEP_INDEX[view.nextStep] : 0
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }))

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
          <Field id='person-name' label='姓名' placeholder='与身份证一致' value={form.name} onChange={set('name')} />
          <Field id='person-id-number' label='身份证号' type='idcard' maxLength={18} placeholder='18 位居民身份证号' value={form.idNumber} onChange={set('idNumber')} />
          <Field id='person-phone' label='手机号' type='number' maxLength={11} placeholder='本人实名登记的手机号' value={form.phone} onChange={set('phone')} />
          <Button id='person-submit' className='btn-block' type='primary' loading={busy} disabled={!form.name || !form.idNumber || !form.phone} onClick={() => void submit()}>
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
          <Button id='person-face-start' className='btn-block' type='primary' loading={busy} disabled={Boolean(view.face.lockedUntil)} onClick={() => void startFace()}>
            开始人脸核验
          </Button>
          {view.face.inProgress && (
            <Button id='person-face-result' className='btn-block' type='primary' fill='outline' disabled={busy} onClick={() => void checkResult()}>
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
          {next && (
            <Button id='person-back' className='btn-block' type='primary' onClick={() => void Taro.redirectTo({ url: next })}>
              返回继续签署
            </Button>
          )}
          <Text className='link' id='person-to-company' onClick={() => void Taro.navigateTo({ url: '/packages/identity/pages/company/index' })}>
            企业认证 ›
          </Text>
        </View>
      )}

      <Notice text={action.notice} id='person-notice' />
      <ErrorText error={action.error} id='person-error' />
    </View>
  )
}
