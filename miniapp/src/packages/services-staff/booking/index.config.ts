export default definePageConfig({ navigationBarTitleText: '咨询记录' })
