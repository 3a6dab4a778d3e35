import type { ContractTimeline, TimelineEntry } from '../../api/contracts.types'
import { partyName, type Contract } from '../../core/contracts/contract'
import type { ContractEvent } from '../../core/contracts/contract-events'
import { ok, type Result } from '../../core/shared/result'
import type { MetadataStore } from '../../ports/metadata-store'
import { findContract, loadCaller } from './find-contract'
import { listContractEvents, type ContractItem } from './records'
import { beijingMinute } from '../../core/shared/beijing-time'

/** One timeline entry per event, with the party's name and a Chinese line ("张三 已签署"). */
export function timelineEntry(item: ContractItem, e: ContractEvent): TimelineEntry {
  const c: Contract = item.contract
  const party = 'partyId' in e ? c.parties.find((p) => p.partyId === e.partyId) : undefined
  const name = party ? partyName(party) : '签署方'
  const who = party ? { partyName: name } : {}
  switch (e.type) {
    case 'ContractSent':
      return { type: e.type, at: e.at, documentSha256: e.preparedSha256, text: '合同已发送' }
    case 'SignerNotified':
      return { type: e.type, at: e.at, ...who, text: `已通知 ${name} 签署` }
    case 'SignerViewed':
      return { type: e.type, at: e.at, ...who, text: `${name} 已查看合同` }
    case 'SignerSigned':
      return { type: e.type, at: e.at, ...who, documentSha256: e.documentSha256, text: `${name} 已签署` }
    case 'SignerDeclined':
      return { type: e.type, at: e.at, ...who, reason: e.reason, text: `${name} 拒签：${e.reason}` }
    case 'ContractCompleted':
      return { type: e.type, at: e.at, text: '所有签署方已签署，合同已完成' }
    case 'ContractDeclined':
      return { type: e.type, at: e.at, ...who, reason: e.reason, text: `合同已终止（${name} 拒签）` }
    case 'ContractRevoked':
      return { type: e.type, at: e.at, reason: e.reason, text: `${item.senderName} 撤销了合同：${e.reason}` }
    case 'ContractExpired':
      return { type: e.type, at: e.at, text: '已过签署截止时间，合同已失效' }
    case 'DeadlineExtended':
      return { type: e.type, at: e.at, text: `${item.senderName} 将签署截止时间延长至 ${beijingMinute(new Date(e.deadline))}` }
    case 'ApprovalRequested':
      return { type: e.type, at: e.at, text: `${item.senderName} 提交了审批（第 ${e.round} 轮，审批人：${e.approvers.map((a) => a.name).join('、')}${e.order === 'sequential' ? '，依次审批' : '，无序审批'}）` }
    case 'ApprovalApproved':
      return { type: e.type, at: e.at, text: `${approverName(c, e.userId)} 同意${e.comment ? `：${e.comment}` : ''}` }
    case 'ApprovalRejected':
      return { type: e.type, at: e.at, reason: e.comment, text: `${approverName(c, e.userId)} 驳回：${e.comment}` }
  }
}

function approverName(c: Contract, userId: string): string {
  return c.approval?.approvers.find((a) => a.userId === userId)?.name || '审批人'
}

/**
 * The contract's timeline for its sender or a party (`CONTRACT_NOT_FOUND` for anyone else), oldest
 * first: its creation, then every recorded event (records.ts `listContractEvents`).
 */
export async function getContractTimeline(deps: { metadata: MetadataStore }, input: { userId: string; contractId: string }): Promise<Result<ContractTimeline>> {
  const { caller } = await loadCaller(deps.metadata, input.userId)
  const found = await findContract(deps.metadata, input.contractId, caller)
  if (!found.ok) return found
  const item = found.value
  const events = await listContractEvents(deps.metadata, input.contractId)
  const created: TimelineEntry = { type: 'ContractCreated', at: item.contract.createdAt, text: `${item.senderName} 创建了合同` }
  return ok({ items: [created, ...events.map((e) => timelineEntry(item, e))] })
}
