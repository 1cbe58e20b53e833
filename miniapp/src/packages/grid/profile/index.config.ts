export default definePageConfig({ navigationBarTitleText: '网格档案', enablePullDownRefresh: true })
