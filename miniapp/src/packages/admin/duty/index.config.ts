export default definePageConfig({ navigationBarTitleText: '排班与在岗', enablePullDownRefresh: true })
