import { useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Input, Text, View } from '@tarojs/components'
import type { PersonalSignatureView, SealView } from '@api/seals.types'
import { uploadImage } from '@/services/seals-api'
import SealImage from '../../components/seal-image'
import { errorMessage } from '../../lib/error-message'

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
  const [message, setMessage] = useState<string>()
  const [busy, setBusy] = useState(false)

  const choose = async () => {
    setMessage(undefined)
    let filePath: string
    try {
      const picked = await Taro.chooseImage({ count: 1, sizeType: ['original'], sourceType: ['album', 'camera'] })
      filePath = picked.tempFilePaths[0]!
    } catch {
      return // cancelled
    }
    setBusy(true)
    try {
      const uploaded = companyId
        ? await uploadImage<SealView>(`/api/seals/companies/${companyId}/seals/upload`, filePath, name ? { name } : {})
        : await uploadImage<PersonalSignatureView>('/api/seals/personal/handwriting-photo', filePath)
      setResult(uploaded)
      setMessage('上传成功，已去除背景')
    } catch (err) {
      setMessage(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='page'>
      <Text className='page__title'>{companyId ? '上传印章图片' : '上传签名照片'}</Text>
      <Text className='page__desc'>支持 PNG、JPEG，不超过 2 MB，每边不超过 4096 像素。白色背景会自动变为透明{companyId ? '，印章颜色统一为标准红色' : '，笔迹统一为黑色'}。</Text>
      {companyId && (
        <View className='card'>
          <Text className='card__line'>印章名称（可选）</Text>
          <Input value={name} placeholder='如：合同专用章' onInput={(e) => setName(e.detail.value)} />
        </View>
      )}
      <View className='card'>
        <Button type='primary' disabled={busy} onClick={choose}>
          {busy ? '上传中…' : '选择图片'}
        </Button>
        {message && <Text className='card__line'>{message}</Text>}
        {result && <SealImage path={result.imagePath} size={240} />}
      </View>
    </View>
  )
}
