export default definePageConfig({
  navigationBarTitleText: '合同审批',
})
