import { useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { CompanyView } from '@api/identity.types'
import type { PersonalSignatureView, SealView } from '@api/seals.types'
import { Button } from '@/components/ui'
import ErrorText from '@/components/error-text'
import { useAction } from '@/hooks/use-action'
import { identityApi } from '@/services/identity-api'
import { listCompanySeals, listMySeals, listPersonalSignatures } from '@/services/seals-api'
import { getActingContext, requireLogin } from '@/services/session'
import SealImage from '../../components/seal-image'
import '../../seals.css'

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

/**
 * 印章管理: a company's seals (`?companyId=`, or the company the user acts for), or the seals I may
 * use; and my own signatures. Admins make, upload and authorise company seals here.
 */
export default function SealList() {
  const { params } = useRouter()
  const ctx = getActingContext()
  const companyId = params.companyId || (ctx.kind === 'company' ? ctx.companyId : undefined)
  const [company, setCompany] = useState<CompanyView>()
  const [seals, setSeals] = useState<Seal[]>()
  const [signatures, setSignatures] = useState<PersonalSignatureView[]>([])
  const action = useAction()

  useDidShow(() => {
    if (!requireLogin(`/packages/seals/pages/list/index${params.companyId ? `?companyId=${params.companyId}` : ''}`)) return
    void action.run(async () => {
      const [s, p, c] = await Promise.all([
        companyId ? listCompanySeals(companyId) : listMySeals(),
        listPersonalSignatures(),
        companyId ? identityApi.company(companyId) : Promise.resolve(undefined),
      ])
      setSeals(s.seals)
      setSignatures(p.signatures)
      setCompany(c)
    })
  })

  const go = (page: string, query: Record<string, string | undefined> = {}) => {
    const q = Object.entries(query)
      .filter(([, v]) => v)
      .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
      .join('&')
    void Taro.navigateTo({ url: `/packages/seals/pages/${page}/index${q ? `?${q}` : ''}` })
  }
  const isAdmin = company?.myRole === 'admin'

  return (
    <View className='page'>
      <Text className='page__title'>{companyId ? `企业印章${company ? ` · ${company.name}` : ''}` : '我的印章'}</Text>
      <ErrorText error={action.error} id='seal-list-error' />
      {seals === undefined && !action.error && <Text className='page__desc'>加载中…</Text>}
      {companyId && isAdmin && (
        <View className='actions'>
          <Button id='seal-make' type='primary' onClick={() => go('generate', { companyId })}>
            制作印章
          </Button>
          <Button id='seal-upload' type='primary' fill='outline' onClick={() => go('upload', { companyId })}>
            上传印章图片
          </Button>
        </View>
      )}
      {companyId && (
        <Text className='link' id='seal-approvals' onClick={() => go('approval', { companyId })}>
          用印审批 ›
        </Text>
      )}
      {seals?.length === 0 && <Text className='page__desc'>{companyId ? (isAdmin ? '还没有印章，请制作或上传。' : '还没有印章，请联系企业管理员制作。') : '暂无可使用的企业印章。'}</Text>}
      <View className='seal-grid'>
        {seals?.map((seal) => (
          <View className='card seal-card' key={`${seal.companyId}/${seal.sealId}`} data-seal-id={seal.sealId}>
            <SealImage path={seal.imagePath} alt={seal.name} />
            <View className='seal-card__body'>
              <Text className='card__title'>{seal.name}</Text>
              <Text className='card__line muted'>
                {KIND_LABELS[seal.kind]}
                {seal.status === 'disabled' ? '（已停用）' : ''}
              </Text>
              {seal.validUntil && <Text className='card__line muted'>授权有效期至 {seal.validUntil}</Text>}
              {companyId && isAdmin && (
                <Button className='seal-card__action' size='small' type='primary' fill='outline' onClick={() => go('authorise', { companyId, sealId: seal.sealId })}>
                  授权成员
                </Button>
              )}
            </View>
          </View>
        ))}
      </View>

      <Text className='page__section'>我的签名</Text>
      <View className='actions'>
        <Button id='signature-draw' type='primary' fill='outline' onClick={() => go('handwriting')}>
          手写签名
        </Button>
        <Button id='signature-seal' type='primary' fill='outline' onClick={() => go('generate')}>
          制作个人名章
        </Button>
        <Button id='signature-photo' type='primary' fill='outline' onClick={() => go('upload')}>
          上传签名照片
        </Button>
      </View>
      <View className='seal-grid'>
        {signatures.map((s) => (
          <View className='card seal-card' key={s.signatureId}>
            <SealImage path={s.imagePath} size={120} alt={SIGNATURE_LABELS[s.kind]} />
            <Text className='card__line'>{SIGNATURE_LABELS[s.kind]}</Text>
          </View>
        ))}
      </View>
    </View>
  )
}
