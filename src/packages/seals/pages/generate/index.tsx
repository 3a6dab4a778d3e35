import { useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Image, Input, Text, View } from '@tarojs/components'
import type { SealSpecInput } from '@api/seals.types'
import { createCompanySeal, createPersonalSeal, previewSeal } from '@/services/seals-api'
import { errorMessage } from '../../lib/error-message'

type Kind = SealSpecInput['kind']
const SEAL_TYPES = ['公章', '合同专用章', '财务专用章'] as const
const COMPANY_KINDS: Array<[Kind, string]> = [
  ['company-round', '圆形印章'],
  ['company-oval', '椭圆印章'],
  ['legal-representative', '法定代表人章'],
]

/** 制作印章: company seals (`?companyId=`) or my personal seal; preview first, then save. */
export default function GenerateSeal() {
  const { params } = useRouter()
  const companyId = params.companyId || undefined
  const [kind, setKind] = useState<Kind>(companyId ? 'company-round' : 'personal-square')
  const [companyName, setCompanyName] = useState('')
  const [sealType, setSealType] = useState<(typeof SEAL_TYPES)[number]>('合同专用章')
  const [code, setCode] = useState('')
  const [name, setName] = useState('')
  const [layout, setLayout] = useState<'2x2' | '2x3' | undefined>(undefined)
  const [preview, setPreview] = useState<string>()
  const [message, setMessage] = useState<string>()
  const [busy, setBusy] = useState(false)

  const spec = (): SealSpecInput => {
    if (kind === 'company-round' || kind === 'company-oval') return { kind, companyName, sealType, ...(code ? { code } : {}) }
    if (kind === 'legal-representative') return { kind, name }
    return { kind: 'personal-square', name, ...(layout ? { layout } : {}) }
  }

  const run = async (action: () => Promise<void>) => {
    setBusy(true)
    setMessage(undefined)
    try {
      await action()
    } catch (err) {
      setMessage(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  const onPreview = () => run(async () => setPreview(await previewSeal(spec())))
  const onSave = () =>
    run(async () => {
      const s = spec()
      if (s.kind === 'personal-square') await createPersonalSeal({ spec: s })
      else await createCompanySeal(companyId!, { spec: s })
      setMessage('已保存')
      void Taro.showToast({ title: '印章已保存', icon: 'success' })
    })

  const isCompany = kind === 'company-round' || kind === 'company-oval'
  return (
    <View className='page'>
      <Text className='page__title'>{companyId ? '制作企业印章' : '制作个人名章'}</Text>
      {companyId && (
        <View className='card'>
          {COMPANY_KINDS.map(([k, label]) => (
            <Button key={k} type={k === kind ? 'primary' : 'default'} onClick={() => setKind(k)}>
              {label}
            </Button>
          ))}
        </View>
      )}
      <View className='card'>
        {isCompany ? (
          <View>
            <Text className='card__line'>单位名称（2–40 字）</Text>
            <Input id='company-name' value={companyName} placeholder='如：上海示例信息技术有限公司' onInput={(e) => setCompanyName(e.detail.value)} />
            <Text className='card__line'>印章类型</Text>
            {SEAL_TYPES.map((t) => (
              <Button key={t} size='mini' type={t === sealType ? 'primary' : 'default'} onClick={() => setSealType(t)}>
                {t}
              </Button>
            ))}
            <Text className='card__line'>印章编码（可选，13 位数字）</Text>
            <Input id='seal-code' type='number' maxlength={13} value={code} onInput={(e) => setCode(e.detail.value)} />
          </View>
        ) : (
          <View>
            <Text className='card__line'>{kind === 'legal-representative' ? '法定代表人姓名' : '姓名'}</Text>
            <Input id='person-name' value={name} placeholder='如：张三' onInput={(e) => setName(e.detail.value)} />
            {kind === 'personal-square' && (
              <View>
                <Text className='card__line'>版式</Text>
                {([undefined, '2x2', '2x3'] as const).map((l) => (
                  <Button key={l ?? 'auto'} size='mini' type={l === layout ? 'primary' : 'default'} onClick={() => setLayout(l)}>
                    {l === undefined ? '自动' : l === '2x2' ? '四字（2×2）' : '六字（2×3）'}
                  </Button>
                ))}
              </View>
            )}
          </View>
        )}
      </View>
      <View className='card'>
        <Button disabled={busy} onClick={onPreview}>
          预览
        </Button>
        <Button disabled={busy || !preview} type='primary' onClick={onSave}>
          保存印章
        </Button>
        {message && <Text className='card__line' id='generate-message'>{message}</Text>}
        {preview && <Image id='seal-preview' src={preview} mode='aspectFit' style={{ width: '300px', height: '300px' }} />}
      </View>
    </View>
  )
}
