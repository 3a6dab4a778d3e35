import Taro from '@tarojs/taro'

/** WeChat mini-program: subscription messages can be asked for (H5: subscribe-messages.h5.ts). */
export const canSubscribeMessages = true

/**
 * `wx.requestSubscribeMessage` (must run from a tap): the user's answer per template id — accept,
 * reject, ban or filter (CHINA-APIS.md §4.4). At most 3 ids per call (the older limit, safe everywhere).
 */
export async function requestSubscriptions(templateIds: string[]): Promise<Record<string, 'accept' | 'reject' | 'ban' | 'filter'>> {
  const answer = (await Taro.requestSubscribeMessage({ tmplIds: templateIds.slice(0, 3), entityIds: [] } as unknown as Taro.requestSubscribeMessage.Option)) as unknown as Record<string, string>
  const results: Record<string, 'accept' | 'reject' | 'ban' | 'filter'> = {}
  for (const id of templateIds.slice(0, 3)) {
    const v = answer[id]
    if (v === 'accept' || v === 'reject' || v === 'ban' || v === 'filter') results[id] = v
  }
  return results
}
