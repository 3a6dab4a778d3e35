export default definePageConfig({
  navigationBarTitleText: 'Webhook 设置',
})
