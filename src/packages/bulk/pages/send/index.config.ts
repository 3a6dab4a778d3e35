export default definePageConfig({
  navigationBarTitleText: '批量发起',
})
