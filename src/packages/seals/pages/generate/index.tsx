import { useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import type { SealSpecInput } from '@api/seals.types'
import { Button } from '@/components/ui'
import ErrorText, { Notice } from '@/components/error-text'
import Field from '@/components/field'
import { useAction } from '@/hooks/use-action'
import { identityApi } from '@/services/identity-api'
import { createCompanySeal, createPersonalSeal, previewSeal } from '@/services/seals-api'
import { requireLogin } from '@/services/session'
import '../../seals.css'

type Kind = SealSpecInput['kind']
const SEAL_TYPES = ['公章', '合同专用章', '财务专用章'] as const
const COMPANY_KINDS: Array<[Kind, string]> = [
  ['company-round', '圆形印章'],
  ['company-oval', '椭圆印章'],
  ['legal-representative', '法定代表人章'],
]
const PERSON_PAGE = '/packages/identity/pages/person/index'
const LAYOUTS = [
  [undefined, '自动'],
  ['2x2', '四字（2×2）'],
  ['2x3', '六字（2×3）'],
] as const

/**
 * 制作印章: company seals (`?companyId=`) or my personal seal; preview first, then save. The name on
 * a company seal is the company's verified name (and the legal representative's on 法定代表人章),
 * filled in and locked; the server checks it too (SEAL_NAME_MISMATCH). A personal seal (人名章)
 * carries my verified real name, shown and never typed: the server takes it from my identity record
 * (the request names only the layout); before real-name verification the page leads there instead.
 */
export default function GenerateSeal() {
  const { params } = useRouter()
  const companyId = params.companyId || undefined
  const [kind, setKind] = useState<Kind>(companyId ? 'company-round' : 'personal-square')
  const [verified, setVerified] = useState<{ companyName?: string; legalRepName?: string; personName?: string }>()
  const [sealType, setSealType] = useState<(typeof SEAL_TYPES)[number]>('合同专用章')
  const [code, setCode] = useState('')
  const [layout, setLayout] = useState<'2x2' | '2x3' | undefined>(undefined)
  const [preview, setPreview] = useState<string>()
  const action = useAction()

  useDidShow(() => {
    if (!requireLogin(`/packages/seals/pages/generate/index${companyId ? `?companyId=${companyId}` : ''}`)) return
    void action.run(async () => {
      if (companyId) {
        const c = await identityApi.company(companyId)
        setVerified({ companyName: c.name, legalRepName: c.legalRepName })
      } else {
        const me = await identityApi.me()
        setVerified({ personName: me.realName === 'verified' ? me.name : undefined })
      }
    })
  })

  const lockedName = kind === 'legal-representative' ? verified?.legalRepName : kind === 'personal-square' ? verified?.personName : verified?.companyName
  const spec = (): SealSpecInput => {
    if (kind === 'company-round' || kind === 'company-oval') return { kind, companyName: verified?.companyName ?? '', sealType, ...(code ? { code } : {}) }
    if (kind === 'legal-representative') return { kind, name: verified?.legalRepName ?? '' }
    return { kind: 'personal-square', name: lockedName ?? '', ...(layout ? { layout } : {}) }
  }

  const choose = (k: Kind) => {
    setKind(k)
    setPreview(undefined)
  }
  const onPreview = () => action.run(async () => setPreview(await previewSeal(spec())))
  const onSave = () =>
    action.run(async () => {
      const s = spec()
      if (s.kind === 'personal-square') await createPersonalSeal(s.layout ? { layout: s.layout } : {})
      else await createCompanySeal(companyId!, { spec: s })
      action.setNotice('印章已保存')
      void Taro.showToast({ title: '印章已保存', icon: 'success' })
    })

  const isCompany = kind === 'company-round' || kind === 'company-oval'
  return (
    <View className='page'>
      <Text className='page__title'>{companyId ? '制作企业印章' : '制作个人名章'}</Text>
      {companyId && (
        <View className='card'>
          <Text className='card__title'>印章样式</Text>
          <View className='actions'>
            {COMPANY_KINDS.map(([k, label]) => (
              <Button key={k} id={`seal-kind-${k}`} type='primary' fill={k === kind ? 'solid' : 'outline'} onClick={() => choose(k)}>
                {k === kind ? `✓ ${label}` : label}
              </Button>
            ))}
          </View>
        </View>
      )}
      <View className='card'>
        {isCompany && (
          <View>
            <View className='field'>
              <Text className='field__label'>单位名称</Text>
              <Text className='field__locked' id='seal-company-name'>{verified?.companyName ?? '加载中…'}</Text>
              <Text className='field__hint'>企业印章上的名称即认证的企业名称，不能修改。</Text>
            </View>
            <View className='field'>
              <Text className='field__label'>印章类型</Text>
              <View className='actions'>
                {SEAL_TYPES.map((t) => (
                  <Button key={t} id={`seal-type-${t}`} size='small' type='primary' fill={t === sealType ? 'solid' : 'outline'} onClick={() => setSealType(t)}>
                    {t === sealType ? `✓ ${t}` : t}
                  </Button>
                ))}
              </View>
            </View>
            <Field id='seal-code' label='印章编码（可选）' type='number' maxLength={13} placeholder='13 位数字，公安备案的印章编码' value={code} onChange={setCode} />
          </View>
        )}
        {!isCompany && (
          <View>
            {lockedName ? (
              <View className='field'>
                <Text className='field__label'>{kind === 'legal-representative' ? '法定代表人姓名' : '姓名'}</Text>
                <Text className='field__locked' id='seal-person-name'>{lockedName}</Text>
                <Text className='field__hint'>{kind === 'legal-representative' ? '法定代表人章上的姓名即认证的法定代表人。' : '名章上的姓名即您实名认证的姓名。'}</Text>
              </View>
            ) : (
              verified &&
              kind === 'personal-square' && (
                <View className='field' id='seal-needs-verification'>
                  <Text className='field__label'>姓名</Text>
                  <Text className='field__hint'>个人名章上的姓名是您实名认证的姓名，请先完成个人实名认证。</Text>
                  <View className='actions'>
                    <Button id='seal-go-verify' type='primary' onClick={() => void Taro.navigateTo({ url: PERSON_PAGE })}>
                      去实名认证
                    </Button>
                  </View>
                </View>
              )
            )}
            {kind === 'personal-square' && lockedName && (
              <View className='field'>
                <Text className='field__label'>版式</Text>
                <View className='actions'>
                  {LAYOUTS.map(([l, label]) => (
                    <Button key={label} size='small' type='primary' fill={l === layout ? 'solid' : 'outline'} onClick={() => setLayout(l)}>
                      {l === layout ? `✓ ${label}` : label}
                    </Button>
                  ))}
                </View>
              </View>
            )}
          </View>
        )}
      </View>
      <View className='card'>
        <View className='actions'>
          <Button id='seal-preview-button' type='primary' fill='outline' loading={action.busy} disabled={!verified || (!isCompany && !lockedName)} onClick={() => void onPreview()}>
            预览
          </Button>
          <Button id='seal-save' type='primary' loading={action.busy} disabled={!preview} onClick={() => void onSave()}>
            保存印章
          </Button>
        </View>
        {!preview && <Text className='field__hint'>先预览，确认无误后保存。</Text>}
        <Notice text={action.notice} id='generate-message' />
        <ErrorText error={action.error} id='generate-error' />
        {preview && <Image id='seal-preview' className='preview' src={preview} mode='aspectFit' style={{ width: '300px', height: '300px' }} {...({ nativeProps: { alt: '印章预览' } } as Record<string, unknown>)} />}
      </View>
    </View>
  )
}
