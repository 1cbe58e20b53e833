export default definePageConfig({ navigationBarTitleText: '平城反诈', enablePullDownRefresh: true })
