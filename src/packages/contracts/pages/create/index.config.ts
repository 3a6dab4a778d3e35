export default definePageConfig({
  navigationBarTitleText: '发起签署',
})
