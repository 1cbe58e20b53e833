// A Taro plugin: after a weapp build, puts the appid into the repository-root project.config.json
// (the WeChat DevTools entry, miniprogramRoot miniapp/dist/weapp/). TARO_APP_ID comes from the
// shell or the .env files; without one the tourist appid stays, so a newcomer can still preview.
const fs = require('node:fs')
const path = require('node:path')

const TOURIST_APPID = 'touristappid'

module.exports = (ctx) => {
  ctx.onBuildComplete(() => {
    if (process.env.TARO_ENV !== 'weapp') return
    const file = path.resolve(__dirname, '../../project.config.json')
    if (!fs.existsSync(file)) return
    const appid = (process.env.TARO_APP_ID || '').trim() || TOURIST_APPID
    const config = JSON.parse(fs.readFileSync(file, 'utf8'))
    if (config.appid === appid) return
    config.appid = appid
    fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`)
    console.log(`project.config.json: appid set to ${appid}`)
  })
}
