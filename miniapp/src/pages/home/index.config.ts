export default definePageConfig({ navigationBarTitleText: '掌上平城', enablePullDownRefresh: false })
