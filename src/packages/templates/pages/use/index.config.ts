export default definePageConfig({
  navigationBarTitleText: '使用模板',
})
