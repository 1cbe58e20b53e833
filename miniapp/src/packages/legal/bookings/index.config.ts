export default definePageConfig({ navigationBarTitleText: '我的法律咨询预约', enablePullDownRefresh: true })
