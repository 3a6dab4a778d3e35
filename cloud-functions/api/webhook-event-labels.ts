/**
 * The webhook event types and their Chinese names, for the app and the API. Import-free: the front
 * end may import this file's values. The same list as `core/webhooks/webhook-event.ts`
 * (`webhooks.types.ts` checks that they agree).
 */
export const WEBHOOK_EVENT_LABELS = {
  'contract.sent': '合同已发出',
  'signer.signed': '签署方已签署',
  'contract.completed': '合同已完成',
  'contract.declined': '合同被拒签',
  'contract.revoked': '合同已撤回',
  'contract.expired': '合同已过期',
} as const

/** How a delivery stands, in Chinese. */
export const WEBHOOK_DELIVERY_STATUS_LABELS = {
  pending: '待投递',
  delivered: '已送达',
  failed: '投递失败',
  cancelled: '已取消',
} as const
