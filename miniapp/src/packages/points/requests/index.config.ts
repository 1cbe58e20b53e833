export default definePageConfig({ navigationBarTitleText: '附近的增设申请', enablePullDownRefresh: true })
