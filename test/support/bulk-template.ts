import type { contractFlow, Person } from './contract-flow'
import { makePdf } from './local-app'

/**
 * The template the bulk-send tests send, made over HTTP by `sender`: roles 甲方 (the sender) and 乙方
 * (a person, from the sheet), placeholders 月薪 (≤ 10 characters) and 入职日期, a signature field each.
 */
export async function makeBulkTemplate(flow: ReturnType<typeof contractFlow>, sender: Person): Promise<string> {
  const documentId = await flow.upload(sender.token, await makePdf('Labour contract template'))
  void documentId
  throw new Error('templates API not merged yet')
}
