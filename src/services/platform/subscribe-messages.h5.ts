/** H5 (a browser): there are no WeChat subscription messages; SMS and e-mail only. */
export const canSubscribeMessages = false

export async function requestSubscriptions(): Promise<Record<string, 'accept' | 'reject' | 'ban' | 'filter'>> {
  return {}
}
