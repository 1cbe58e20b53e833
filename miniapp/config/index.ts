import path from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import TsconfigPathsPlugin from 'tsconfig-paths-webpack-plugin'
import devConfig from './dev'
import prodConfig from './prod'

/**
 * @palm/shared ships TypeScript source through an npm-workspaces symlink; Taro's babel rule only
 * covers src/ and taro packages, so the shared sources are added explicitly (recipes/taro.md §5).
 */
const workspaceSources = [path.resolve(__dirname, '../../shared/src')]

/** NutUI is drawn at 375 px, our own styles at 750 (recipes/taro.md §6). */
function designWidth(input?: unknown): number {
  const file = typeof input === 'object' && input !== null && 'file' in input ? String((input as { file: unknown }).file) : ''
  return file.replace(/\\+/g, '/').includes('@nutui') ? 375 : 750
}

export default defineConfig<'webpack5'>(async (merge) => {
  const platform = process.env.TARO_ENV === 'h5' ? 'h5' : 'weapp'
  // TARO_OUTPUT_DIR lets parallel builds (tests, developers side by side) each write their own folder.
  const outputRoot = process.env.TARO_OUTPUT_DIR || `dist/${platform}`
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'palm-pingcheng',
    date: '2026-11-28',
    designWidth,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot,
    plugins: [path.resolve(__dirname, 'devtools-appid-plugin.js')],
    defineConstants: {},
    // H5 only: the rem bootstrap as a file, since the server's CSP refuses inline scripts (see src/h5/rem.js).
    copy: { patterns: platform === 'h5' ? [{ from: 'src/h5/rem.js', to: `${outputRoot}/rem.js` }] : [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: process.env.TARO_CACHE === '1' },
    mini: {
      compile: { include: workspaceSources },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } }
      },
      webpackChain(chain) {
        chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin)
      }
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      compile: { include: workspaceSources },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
      miniCssExtractPluginOption: { ignoreOrder: true, filename: 'css/[name].[contenthash:8].css', chunkFilename: 'css/[name].[contenthash:8].css' },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } }
      },
      webpackChain(chain) {
        chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin)
      }
    }
  }
  if (process.env.NODE_ENV === 'development') return merge({}, baseConfig, devConfig)
  return merge({}, baseConfig, prodConfig)
})
