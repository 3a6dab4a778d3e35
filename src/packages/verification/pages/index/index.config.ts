export default definePageConfig({
  navigationBarTitleText: '验证签名',
})
