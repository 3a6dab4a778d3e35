export default definePageConfig({
  navigationBarTitleText: '合同详情',
  // 邀请签署: the page's share card (WeChat) opens the sign page.
  enableShareAppMessage: true,
})
