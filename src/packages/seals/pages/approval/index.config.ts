export default definePageConfig({ navigationBarTitleText: '用印审批' })
