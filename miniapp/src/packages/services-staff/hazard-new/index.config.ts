export default definePageConfig({ navigationBarTitleText: '登记隐患' })
