export default definePageConfig({ navigationBarTitleText: '辖区导入' })
