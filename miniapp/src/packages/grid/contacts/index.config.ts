export default definePageConfig({ navigationBarTitleText: '网格联系方式' })
