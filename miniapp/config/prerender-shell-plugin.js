// A Taro plugin: after a production H5 build, writes the prerendered first views into its
// index.html (scripts/prerender-shells.mjs; docs/performance.md "Prerendered first views"). Not in
// watch mode (a development build is rebuilt on every save) and never for the WeChat build.
const { spawnSync } = require('node:child_process')
const path = require('node:path')

module.exports = (ctx) => {
  ctx.onBuildComplete(() => {
    if (process.env.TARO_ENV !== 'h5' || process.env.NODE_ENV !== 'production' || process.argv.includes('--watch')) return
    const script = path.resolve(__dirname, '../scripts/prerender-shells.mjs')
    const result = spawnSync(process.execPath, [script, ctx.paths.outputPath], { stdio: 'inherit' })
    if (result.status !== 0) {
      console.error('prerender-shells failed: the H5 build has no prerendered first views')
      process.exitCode = 1
    }
  })
}
