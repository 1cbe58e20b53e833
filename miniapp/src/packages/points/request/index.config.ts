export default definePageConfig({ navigationBarTitleText: '申请增设检测点' })
