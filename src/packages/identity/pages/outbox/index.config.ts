export default definePageConfig({
  navigationBarTitleText: '沙箱发件箱',
  enablePullDownRefresh: true,
})
