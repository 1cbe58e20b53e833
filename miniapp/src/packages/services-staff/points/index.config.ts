export default definePageConfig({ navigationBarTitleText: '检测点管理', enablePullDownRefresh: true })
