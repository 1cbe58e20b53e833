export default defineAppConfig({
  pages: ['pages/home/index', 'pages/messages/index', 'pages/me/index'],
  subPackages: [
    { root: 'packages/report', pages: ['new/index'] },
    { root: 'packages/ticket', pages: ['detail/index', 'mine/index'] },
    { root: 'packages/public', pages: ['board/index', 'coming-soon/index'] },
    { root: 'packages/staff', pages: ['inbox/index', 'detail/index', 'stats/index', 'review/index', 'map/index'] },
    { root: 'packages/auth', pages: ['sign-in/index', 'privacy/index', 'change-password/index'] },
    { root: 'packages/admin', pages: ['hub/index', 'accounts/index', 'account/index', 'duty/index', 'roster/index'] },
    { root: 'packages/console', pages: ['categories/index', 'category/index', 'departments/index', 'rules/index', 'rule/index'] },
    { root: 'packages/territory-admin', pages: ['import/index'] },
    { root: 'packages/open311-admin', pages: ['keys/index'] },
    { root: 'packages/audit-admin', pages: ['log/index'] },
    { root: 'packages/grid', pages: ['mine/index', 'places/index', 'profile/index', 'contacts/index'] },
    { root: 'packages/points', pages: ['list/index', 'detail/index', 'request/index', 'requests/index'] },
    { root: 'packages/legal', pages: ['stations/index', 'station/index', 'bookings/index', 'booking/index'] },
    { root: 'packages/tips', pages: ['fraud/index', 'hazard/index'] },
    { root: 'packages/alliance', pages: ['hub/index', 'register/index', 'activities/index', 'activity/index', 'record/index', 'leaderboard/index', 'alerts/index'] },
    {
      root: 'packages/services-staff',
      pages: [
        'hub/index',
        'points/index',
        'point-edit/index',
        'stations/index',
        'station/index',
        'station-edit/index',
        'booking/index',
        'hazards/index',
        'hazard/index',
        'hazard-new/index',
        'activities/index',
        'activity-edit/index',
        'volunteers/index',
        'alerts/index'
      ]
    }
  ],
  preloadRule: {
    'pages/home/index': { network: 'all', packages: ['packages/report'] }
  },
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#c8102e',
    navigationBarTitleText: '掌上平城',
    navigationBarTextStyle: 'white',
    // Taro draws this title bar in H5 only when asked (WeChat always has its own): the page title and
    // a back (or home) button outside the tab pages; components/a11y.ts names its buttons.
    navigationStyle: 'default',
    backgroundColor: '#f5f6f8'
  },
  tabBar: {
    color: '#5c6370',
    selectedColor: '#c8102e',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/home/index', text: '首页', iconPath: 'assets/tab/home.png', selectedIconPath: 'assets/tab/home-active.png' },
      { pagePath: 'pages/messages/index', text: '消息', iconPath: 'assets/tab/messages.png', selectedIconPath: 'assets/tab/messages-active.png' },
      { pagePath: 'pages/me/index', text: '我的', iconPath: 'assets/tab/me.png', selectedIconPath: 'assets/tab/me-active.png' }
    ]
  },
  permission: {
    'scope.userLocation': { desc: '用于确定您上报事件的位置，并交给所在网格的网格员处理' }
  },
  requiredPrivateInfos: ['getLocation', 'chooseLocation']
})
