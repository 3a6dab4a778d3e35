export default definePageConfig({ navigationBarTitleText: '制作印章' })
