import { Text, View } from '@tarojs/components'
import type { SignatureView } from '@api/verification.types'
import { beijingTime, certificateTrustLabel, CHANGE_LABELS, PROBLEM_LABELS, revocationLabel, signatureKindLabel, signatureStatus } from './labels'
import './index.css'

export type SignatureDetailProps = {
  signature: SignatureView
  /** 1-based position in the document, shown in the title. */
  index?: number
}

/**
 * 一个签名的详情：签署人、可信时间、证书、状态、签署后的修改。验证页面与合同查看页（点击印章时）共用。
 */
export default function SignatureDetail({ signature: s, index }: SignatureDetailProps) {
  const status = signatureStatus(s)
  const rows: Array<[string, string]> = [
    ['签署人', s.signer ?? '未知'],
    ['签名域', s.field],
    ['类型', `${signatureKindLabel(s)}${s.subFilter ? `（${s.subFilter}）` : ''}`],
  ]
  const time = s.timestamp
    ? `${beijingTime(s.timestamp.time)}（北京时间）${s.timestamp.authority ? `，由 ${s.timestamp.authority} 签发` : ''}${s.timestamp.valid === false ? '，时间戳无效' : s.timestamp.trusted === false ? '，时间戳服务不受信任' : ''}`
    : s.timeProven
      ? `${beijingTime(s.validatedAt)} 之前（由之后的文档时间戳证明）`
      : `无可信时间戳${s.claimedSigningTime ? `；签署人声明的时间 ${beijingTime(s.claimedSigningTime)}（未经证明）` : ''}`
  return (
    <View className='sig-detail' id={`signature-detail-${index ?? 0}`}>
      <View className='sig-detail__head'>
        <Text className='sig-detail__title'>{index ? `签名 ${index}：` : ''}{s.signer ?? '未知签署人'}</Text>
        <Text className={`sig-detail__status sig-detail__status--${status.tone}`}>{status.label}</Text>
      </View>
      {rows.map(([k, v]) => (
        <View className='sig-detail__row' key={k}>
          <Text className='sig-detail__key'>{k}</Text>
          <Text className='sig-detail__value'>{v}</Text>
        </View>
      ))}
      <View className='sig-detail__row'>
        <Text className='sig-detail__key'>可信时间</Text>
        <Text className='sig-detail__value'>{time}</Text>
      </View>

      <Text className='sig-detail__section'>状态</Text>
      <View className='sig-detail__row'>
        <Text className='sig-detail__key'>完整性</Text>
        <Text className='sig-detail__value'>{s.intact ? '完整：签署后签名覆盖的内容未被改动' : '已被篡改：签名覆盖的内容与签名不符'}</Text>
      </View>
      <View className='sig-detail__row'>
        <Text className='sig-detail__key'>签名</Text>
        <Text className='sig-detail__value'>{s.valid ? `有效${s.signatureAlgorithm && s.signatureAlgorithm !== 'unknown' ? `（${s.signatureAlgorithm}）` : ''}` : '无效'}</Text>
      </View>
      <View className='sig-detail__row'>
        <Text className='sig-detail__key'>证书</Text>
        <Text className='sig-detail__value'>{certificateTrustLabel(s)}</Text>
      </View>
      <View className='sig-detail__row'>
        <Text className='sig-detail__key'>吊销状态</Text>
        <Text className='sig-detail__value'>{revocationLabel(s)}</Text>
      </View>
      <View className='sig-detail__row'>
        <Text className='sig-detail__key'>覆盖范围</Text>
        <Text className='sig-detail__value'>{s.coversWholeDocument ? '覆盖整个文档' : `第 ${s.revision ?? '?'} 次修订；之后文档还有修订`}</Text>
      </View>
      {s.weak && <Text className='sig-detail__warn'>该签名使用 SHA-1，安全性不足</Text>}

      {s.certificate && (
        <View>
          <Text className='sig-detail__section'>证书</Text>
          <View className='sig-detail__row'>
            <Text className='sig-detail__key'>使用者</Text>
            <Text className='sig-detail__value'>{s.certificate.subject}</Text>
          </View>
          <View className='sig-detail__row'>
            <Text className='sig-detail__key'>颁发者</Text>
            <Text className='sig-detail__value'>{s.certificate.issuer}</Text>
          </View>
          <View className='sig-detail__row'>
            <Text className='sig-detail__key'>序列号</Text>
            <Text className='sig-detail__value'>{s.certificate.serialNumber}</Text>
          </View>
          <View className='sig-detail__row'>
            <Text className='sig-detail__key'>有效期</Text>
            <Text className='sig-detail__value'>{beijingTime(s.certificate.notBefore).slice(0, 10)} 至 {beijingTime(s.certificate.notAfter).slice(0, 10)}</Text>
          </View>
          {s.chain.length > 1 && (
            <View className='sig-detail__row'>
              <Text className='sig-detail__key'>证书链</Text>
              <Text className='sig-detail__value'>{s.chain.map((c) => c.commonName ?? c.subject).join(' → ')}</Text>
            </View>
          )}
        </View>
      )}

      <Text className='sig-detail__section'>签署后的修改</Text>
      {s.changes.length === 0 ? (
        <Text className='sig-detail__value sig-detail__changes-none'>无</Text>
      ) : (
        s.changes.map((c, i) => (
          <View className='sig-detail__change' key={`${c.revision}-${i}`}>
            <Text className={`sig-detail__tag sig-detail__tag--${c.level === 'allowed' ? 'ok' : 'bad'}`}>{c.level === 'allowed' ? '允许' : '不允许'}</Text>
            <Text className='sig-detail__value'>
              第 {c.revision} 次修订：{CHANGE_LABELS[c.kind] ?? c.kind}（{c.detail}）
            </Text>
          </View>
        ))
      )}

      {s.problems.length > 0 && (
        <View>
          <Text className='sig-detail__section'>问题</Text>
          {s.problems.map((p, i) => (
            <Text className='sig-detail__problem' key={`${p.code}-${i}`}>
              {PROBLEM_LABELS[p.code] ?? p.code}
            </Text>
          ))}
        </View>
      )}
    </View>
  )
}
