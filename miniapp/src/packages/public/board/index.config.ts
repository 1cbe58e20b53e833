export default definePageConfig({ navigationBarTitleText: '回复公开', enablePullDownRefresh: true })
