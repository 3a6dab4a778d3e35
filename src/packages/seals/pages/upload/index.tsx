import { useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { PersonalSignatureView, SealView } from '@api/seals.types'
import { Button } from '@/components/ui'
import ErrorText, { Notice } from '@/components/error-text'
import Field from '@/components/field'
import { useAction } from '@/hooks/use-action'
import { uploadImage } from '@/services/seals-api'
import SealImage from '../../components/seal-image'
import '../../seals.css'

/**
 * 上传印章图片 (`?companyId=`: a company seal) or 上传签名照片 (no company: a photo of my signature
 * on paper). The server checks the content (PNG/JPEG, ≤ 2 MB, ≤ 4096 px a side) and cleans it:
 * the background becomes transparent and the ink colour is normalised.
 */
export default function UploadSeal() {
  const { params } = useRouter()
  const companyId = params.companyId || undefined
  const [name, setName] = useState('')
  const [result, setResult] = useState<SealView | PersonalSignatureView>()
  const action = useAction()

  const choose = async () => {
    let filePath: string
    try {
      const picked = await Taro.chooseImage({ count: 1, sizeType: ['original'], sourceType: ['album', 'camera'] })
      filePath = picked.tempFilePaths[0]!
    } catch {
      return // cancelled
    }
    await action.run(async () => {
      const uploaded = companyId
        ? await uploadImage<SealView>(`/api/seals/companies/${companyId}/seals/upload`, filePath, name ? { name } : {})
        : await uploadImage<PersonalSignatureView>('/api/seals/personal/handwriting-photo', filePath)
      setResult(uploaded)
      action.setNotice('上传成功，已去除背景')
    })
  }

  return (
    <View className='page'>
      <Text className='page__title'>{companyId ? '上传印章图片' : '上传签名照片'}</Text>
      <Text className='page__desc'>支持 PNG、JPEG，不超过 2 MB，每边不超过 4096 像素。白色背景会自动变为透明{companyId ? '，印章颜色统一为标准红色' : '，笔迹统一为黑色'}。</Text>
      {companyId && (
        <View className='card'>
          <Field id='upload-name' label='印章名称（可选）' placeholder='如：合同专用章' value={name} onChange={setName} />
        </View>
      )}
      <View className='card'>
        <Button id='upload-choose' className='btn-block' type='primary' loading={action.busy} onClick={() => void choose()}>
          {action.busy ? '上传中…' : '选择图片'}
        </Button>
        <Notice text={action.notice} id='upload-message' />
        <ErrorText error={action.error} id='upload-error' />
        {result && <SealImage path={result.imagePath} size={240} />}
      </View>
    </View>
  )
}
