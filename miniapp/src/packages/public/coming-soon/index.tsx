import { View, Text, Button } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { PageShell } from '../../../components/page-shell'
import { Routes, openPage } from '../../../utils/routes'
import './index.scss'

const SERVICES: Record<string, { name: string; what: string }> = {
  testing: { name: '核酸检测点', what: '查询附近检测点的开放时间与排队情况，申请增设检测点' },
  legal: { name: '法律咨询', what: '预约区、街道、社区三级法律援助和“1826”婚姻家庭咨询' },
  fraud: { name: '反诈举报', what: '提供电话、网址、收款账户等诈骗线索，可匿名' },
  hazard: { name: '隐患举报', what: '举报自建房、消防、燃气等安全隐患' },
  alliance: { name: '平城反诈志愿者联盟', what: '报名成为志愿者，参加反诈宣传活动' },
  notices: { name: '通知公告', what: '查看区、街道和社区发布的通知' },
  bookings: { name: '我的预约与报名', what: '查看法律咨询预约和志愿活动报名' }
}

/** A clear "coming soon" for services whose pages come with the services work. */
export default function ComingSoonPage() {
  const { params } = useRouter()
  const service = SERVICES[params.service ?? ''] ?? { name: '该服务', what: '' }
  Taro.setNavigationBarTitle({ title: service.name }).catch(() => undefined)
  return (
    <PageShell className='coming-soon'>
      <View className='card coming-soon-card'>
        <Text className='coming-soon-badge'>即将上线</Text>
        <View className='coming-soon-title'>{service.name}</View>
        {service.what ? <View className='muted coming-soon-what'>{service.what}</View> : null}
        <View className='coming-soon-text'>这项服务正在建设中，上线后会在“通知公告”中告诉您。遇到身边的问题，现在就可以用“随手拍”上报。</View>
        <View className='btn-row'>
          <Button className='btn btn-primary' onClick={() => openPage(Routes.report)}>
            去随手拍
          </Button>
          <Button className='btn' onClick={() => openPage(Routes.home)}>
            返回首页
          </Button>
        </View>
      </View>
    </PageShell>
  )
}
