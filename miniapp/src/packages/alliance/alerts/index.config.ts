export default definePageConfig({ navigationBarTitleText: '反诈预警', enablePullDownRefresh: true })
