export default definePageConfig({ navigationBarTitleText: '编辑检测点' })
