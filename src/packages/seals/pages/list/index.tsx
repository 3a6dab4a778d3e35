import { useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { PersonalSignatureView, SealView } from '@api/seals.types'
import { listCompanySeals, listMySeals, listPersonalSignatures } from '@/services/seals-api'
import SealImage from '../../components/seal-image'
import { errorMessage } from '../../lib/error-message'

const KIND_LABELS: Record<SealView['kind'], string> = {
  'company-round': '圆形印章',
  'company-oval': '椭圆印章',
  'legal-representative': '法定代表人章',
  uploaded: '上传的印章',
}
const SIGNATURE_LABELS: Record<PersonalSignatureView['kind'], string> = {
  'personal-seal': '个人名章',
  handwriting: '手写签名',
  'handwriting-photo': '签名照片',
}

type Seal = SealView & { via?: 'admin' | 'grant'; validUntil?: string }

/** 印章管理: a company's seals (`?companyId=`), or the seals I may use; and my own signatures. */
export default function SealList() {
  const { params } = useRouter()
  const companyId = params.companyId
  const [seals, setSeals] = useState<Seal[]>([])
  const [signatures, setSignatures] = useState<PersonalSignatureView[]>([])
  const [error, setError] = useState<string>()
  const [loading, setLoading] = useState(true)

  const load = async () => {
    setLoading(true)
    setError(undefined)
    try {
      const [s, p] = await Promise.all([companyId ? listCompanySeals(companyId) : listMySeals(), listPersonalSignatures()])
      setSeals(s.seals)
      setSignatures(p.signatures)
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setLoading(false)
    }
  }
  useDidShow(() => {
    void load()
  })

  const go = (page: string, query: Record<string, string | undefined> = {}) => {
    const q = Object.entries({ companyId, ...query })
      .filter(([, v]) => v)
      .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
      .join('&')
    void Taro.navigateTo({ url: `/packages/seals/pages/${page}/index${q ? `?${q}` : ''}` })
  }

  return (
    <View className='page'>
      <Text className='page__title'>{companyId ? '企业印章' : '我的印章'}</Text>
      {error && <Text className='page__desc' id='seal-list-error'>加载失败：{error}</Text>}
      {loading && <Text className='page__desc'>加载中…</Text>}
      {companyId && (
        <View className='card'>
          <Button onClick={() => go('generate')}>制作印章</Button>
          <Button onClick={() => go('upload')}>上传印章图片</Button>
          <Button onClick={() => go('approval')}>用印审批</Button>
        </View>
      )}
      {!loading && !seals.length && !error && <Text className='page__desc'>{companyId ? '还没有印章，请制作或上传。' : '暂无可使用的企业印章。'}</Text>}
      {seals.map((seal) => (
        <View className='card' key={`${seal.companyId}/${seal.sealId}`}>
          <SealImage path={seal.imagePath} />
          <Text className='card__line'>{seal.name}</Text>
          <Text className='card__line'>
            {KIND_LABELS[seal.kind]}
            {seal.status === 'disabled' ? '（已停用）' : ''}
          </Text>
          {seal.validUntil && <Text className='card__line'>授权有效期至 {seal.validUntil}</Text>}
          {companyId && <Button onClick={() => go('authorise', { sealId: seal.sealId })}>授权成员</Button>}
        </View>
      ))}
      <Text className='page__title'>我的签名</Text>
      <View className='card'>
        <Button onClick={() => go('handwriting')}>手写签名</Button>
        <Button onClick={() => go('generate', { companyId: '', personal: '1' })}>制作个人名章</Button>
        <Button onClick={() => go('upload', { companyId: '' })}>上传签名照片</Button>
      </View>
      {signatures.map((s) => (
        <View className='card' key={s.signatureId}>
          <SealImage path={s.imagePath} size={120} />
          <Text className='card__line'>{SIGNATURE_LABELS[s.kind]}</Text>
        </View>
      ))}
    </View>
  )
}
