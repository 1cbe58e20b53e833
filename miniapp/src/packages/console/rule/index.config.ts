export default definePageConfig({ navigationBarTitleText: '编辑分拨规则' })
