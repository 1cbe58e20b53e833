export default definePageConfig({ navigationBarTitleText: '待办工单', enablePullDownRefresh: true })
