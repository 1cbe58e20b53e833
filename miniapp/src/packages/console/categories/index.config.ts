export default definePageConfig({ navigationBarTitleText: '事项分类与时限', enablePullDownRefresh: true })
