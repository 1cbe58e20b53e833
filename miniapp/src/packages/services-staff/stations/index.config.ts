export default definePageConfig({ navigationBarTitleText: '法律服务站管理', enablePullDownRefresh: true })
