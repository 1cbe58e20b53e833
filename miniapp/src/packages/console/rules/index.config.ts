export default definePageConfig({ navigationBarTitleText: '分拨规则', enablePullDownRefresh: true })
