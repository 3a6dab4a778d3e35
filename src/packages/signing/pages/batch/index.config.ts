export default definePageConfig({
  navigationBarTitleText: '批量签署',
})
