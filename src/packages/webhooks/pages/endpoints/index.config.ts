export default definePageConfig({
  navigationBarTitleText: '事件推送',
})
