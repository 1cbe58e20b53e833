export default definePageConfig({ navigationBarTitleText: '检测点详情', enablePullDownRefresh: true })
