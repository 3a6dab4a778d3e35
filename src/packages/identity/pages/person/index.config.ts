export default definePageConfig({
  navigationBarTitleText: '个人实名认证',
})
