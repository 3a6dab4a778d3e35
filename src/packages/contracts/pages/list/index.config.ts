export default definePageConfig({
  navigationBarTitleText: '合同列表',
})
