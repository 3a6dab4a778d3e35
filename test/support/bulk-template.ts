import { slot, type contractFlow, type Person } from './contract-flow'
import { makePdf } from './local-app'

/**
 * The template the bulk-send tests send, made over HTTP by `sender` (an admin of `companyId`):
 * roles 乙方 (a person, from the sheet; signs first) and 甲方 (the sender), a signature field each,
 * placeholders 月薪 (≤ 10 characters) and 入职日期.
 */
export async function makeBulkTemplate(flow: ReturnType<typeof contractFlow>, sender: Person, companyId: string): Promise<string> {
  const documentId = await flow.upload(sender.token, await makePdf('Labour contract template'))
  const r = await flow.call(
    'POST',
    '/api/templates',
    {
      companyId,
      name: '劳动合同（批量）',
      documentId,
      roles: [
        { roleId: 'B', label: '乙方', kind: 'person' },
        { roleId: 'A', label: '甲方', kind: 'person', sender: true },
      ],
      fields: [
        { fieldId: 'sb', roleId: 'B', kind: 'signature', page: 0, rect: slot(0) },
        { fieldId: 'sa', roleId: 'A', kind: 'signature', page: 0, rect: slot(1) },
      ],
      placeholders: [
        { key: '月薪', page: 0, rect: [60, 600, 240, 24], maxLength: 10 },
        { key: '入职日期', page: 0, rect: [60, 560, 240, 24] },
      ],
    },
    sender.token,
  )
  if (r.status !== 201) throw new Error(`template: ${r.status} ${JSON.stringify(r.body)}`)
  return r.body.templateId
}
