/**
 * Routes. The main package holds only the tab pages; every feature is a WeChat subpackage so heavy pages
 * (PDF preview, handwriting canvas, identity check) stay out of the 2 MB main package
 * (checked by scripts/check-weapp-size.js).
 */
export default defineAppConfig({
  pages: ['pages/index/index', 'pages/mine/index', 'pages/not-found/index'],
  subPackages: [
    { root: 'packages/contracts', pages: ['pages/list/index', 'pages/detail/index', 'pages/create/index'] },
    { root: 'packages/signing', pages: ['pages/sign/index', 'pages/link/index', 'pages/batch/index'] },
    { root: 'packages/verification', pages: ['pages/index/index'] },
    { root: 'packages/diagnostics', pages: ['pages/index/index'] },
    { root: 'packages/messages', pages: ['pages/list/index', 'pages/settings/index'] },
    { root: 'packages/webhooks', pages: ['pages/endpoints/index'] },
    { root: 'packages/bulk', pages: ['pages/send/index'] },
    { root: 'packages/templates', pages: ['pages/list/index', 'pages/use/index', 'pages/editor/index'] },
    { root: 'packages/approvals', pages: ['pages/list/index', 'pages/policy/index'] },
    {
      root: 'packages/identity',
      pages: ['pages/person/index', 'pages/login/index', 'pages/company/index', 'pages/company-detail/index', 'pages/web-view/index', 'pages/outbox/index'],
    },
    {
      root: 'packages/seals',
      pages: ['pages/list/index', 'pages/generate/index', 'pages/upload/index', 'pages/authorise/index', 'pages/approval/index', 'pages/handwriting/index'],
    },
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '签约',
    navigationBarTextStyle: 'black',
    // H5 shows Taro's navigation bar too (title, back on subpages, home when opened directly).
    navigationStyle: 'default',
  },
  tabBar: {
    color: '#4e5561',
    selectedColor: '#1a56db',
    backgroundColor: '#ffffff',
    list: [
      {
        pagePath: 'pages/index/index',
        text: '首页',
        iconPath: 'assets/tabbar/home.png',
        selectedIconPath: 'assets/tabbar/home-active.png',
      },
      {
        pagePath: 'pages/mine/index',
        text: '我的',
        iconPath: 'assets/tabbar/mine.png',
        selectedIconPath: 'assets/tabbar/mine-active.png',
      },
    ],
  },
})
