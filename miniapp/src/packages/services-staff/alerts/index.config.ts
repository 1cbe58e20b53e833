export default definePageConfig({ navigationBarTitleText: '发布反诈预警' })
