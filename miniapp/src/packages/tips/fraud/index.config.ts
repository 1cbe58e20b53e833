export default definePageConfig({ navigationBarTitleText: '反诈举报' })
