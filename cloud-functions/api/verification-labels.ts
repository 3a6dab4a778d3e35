import type { ChangeKind, ProblemCode } from './verification.types'

/**
 * Chinese labels of the verifier's problem codes and change kinds. Import-free (types only), so the
 * app may import the values; `esign verify` prints them too.
 */

/** 问题代码的中文说明。 */
export const PROBLEM_LABELS: Record<ProblemCode, string> = {
  NO_SIGNATURES: '文档中没有签名',
  TRAILING_BYTES: '文件末尾附加了无法识别的数据',
  TOO_MANY_REVISIONS: '文档的修订次数过多，只检查了最近的修订',
  SIGNATURE_DICTIONARY_INVALID: '签名字典格式错误',
  BYTE_RANGE_INVALID: '签名覆盖范围（ByteRange）不正确',
  NOT_AT_REVISION_BOUNDARY: '签名范围没有结束在修订边界上',
  CONTENTS_MISSING: '签名值缺失或为空',
  UNSUPPORTED_SUBFILTER: '不支持的签名格式',
  CMS_INVALID: '签名数据（CMS）格式错误',
  DIGEST_MISMATCH: '文档内容与签名不符（已被篡改）',
  SIGNATURE_INVALID: '签名值校验失败',
  SIGNER_CERTIFICATE_MISSING: '缺少签名人证书',
  SIGNING_CERTIFICATE_MISMATCH: '签名绑定的证书与签名人证书不一致',
  SIGNING_CERTIFICATE_ATTRIBUTE_MISSING: '缺少签名证书绑定属性',
  WEAK_ALGORITHM: '使用了不安全的摘要算法（SHA-1）',
  UNSUPPORTED_ALGORITHM: '不支持的算法',
  UNTRUSTED_ROOT: '证书不是由受信任的根证书签发',
  CHAIN_INVALID: '证书链不合规',
  CERTIFICATE_EXPIRED: '证书在签署时已过期',
  CERTIFICATE_NOT_YET_VALID: '证书在签署时尚未生效',
  KEY_USAGE: '证书用途不允许签名',
  REVOKED: '证书已被吊销',
  REVOCATION_UNKNOWN: '无法确认证书吊销状态',
  TIMESTAMP_INVALID: '时间戳无效',
  TIMESTAMP_IMPRINT_MISMATCH: '时间戳与签名不符',
  TIMESTAMP_UNTRUSTED: '时间戳服务不受信任',
  MODIFIED_AFTER_SIGNING: '签署后文档被修改',
  SIGNATURE_REMOVED: '签名在之后的修订中被移除或替换',
}

/** 修改类型的中文说明。 */
export const CHANGE_LABELS: Record<ChangeKind, string> = {
  'signature-added': '添加了签名',
  'signature-field-added': '添加了签名域',
  'document-timestamp-added': '添加了文档时间戳',
  'form-filled': '填写了表单',
  'form-field-changed': '修改了已填写的表单内容',
  'field-locked': '修改了已锁定的字段',
  'field-added': '添加了表单字段',
  'field-removed': '删除了表单字段',
  'dss-updated': '添加了长期验证数据',
  'metadata-updated': '更新了文档信息',
  'annotation-added': '添加了批注',
  'annotation-changed': '修改或删除了批注',
  'page-content-changed': '修改了页面内容',
  'pages-changed': '增删或替换了页面',
  'catalog-changed': '修改了文档结构',
  'signature-changed': '修改或移除了签名',
  'object-freed': '删除了文档对象',
  'trailer-changed': '替换了文档根对象',
  'unexplained-change': '无法解释的修改',
  'trailing-bytes': '文件末尾附加了数据',
}
