export default definePageConfig({ navigationBarTitleText: '办理工单', enablePullDownRefresh: true })
