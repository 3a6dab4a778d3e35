export default definePageConfig({ navigationBarTitleText: '印章管理' })
