import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { constants as zlib } from 'node:zlib'
import CompressionPlugin from 'compression-webpack-plugin'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import TsconfigPathsPlugin from 'tsconfig-paths-webpack-plugin'
import devConfig from './dev'
import prodConfig from './prod'

/**
 * @palm/shared ships TypeScript source through an npm-workspaces symlink; Taro's babel rule only
 * covers src/ and taro packages, so the shared sources are added explicitly (docs/architecture.md "Taro build notes").
 */
const workspaceSources = [path.resolve(__dirname, '../../shared/src')]

/**
 * NutUI is drawn at 375 px, our own styles at 750 (docs/architecture.md "Taro build notes"). Leaflet's CSS (the H5 map,
 * docs/maps.md) is in CSS pixels too: at 750 its controls and markers would shrink to half.
 */
function designWidth(input?: unknown): number {
  const file = typeof input === 'object' && input !== null && 'file' in input ? String((input as { file: unknown }).file).replace(/\\+/g, '/') : ''
  return file.includes('@nutui') || /\/node_modules\/leaflet(\.markercluster)?\//.test(file) ? 375 : 750
}

/** Text files of the H5 build worth compressing (the server sends the twins: docs/performance.md). */
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt)$/

/**
 * H5 only: a brotli (`x.js.br`, highest quality) and a gzip (`x.js.gz`) twin of every text file over
 * 1 KB, made once at build time so the server never compresses the build on the fly.
 */
function precompress(chain: { plugin: (name: string) => { use: (plugin: unknown, args: unknown[]) => unknown } }): void {
  chain
    .plugin('precompress-br')
    .use(CompressionPlugin, [
      { filename: '[path][base].br', algorithm: 'brotliCompress', test: COMPRESSIBLE, threshold: 1024, minRatio: 0.9, compressionOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } } }
    ])
  chain.plugin('precompress-gz').use(CompressionPlugin, [{ filename: '[path][base].gz', algorithm: 'gzip', test: COMPRESSIBLE, threshold: 1024, minRatio: 0.9, compressionOptions: { level: 9 } }])
}

/** `H5_BUNDLE_STATS=1`: webpack's module list per chunk, next to the output folder, to see what a page loads (docs/performance.md). */
class BundleStatsPlugin {
  constructor(private readonly file: string) {}
  apply(compiler: { hooks: { done: { tap: (name: string, fn: (stats: { toJson: (o: object) => unknown }) => void) => void } } }): void {
    compiler.hooks.done.tap('bundle-stats', (stats) => {
      writeFileSync(this.file, JSON.stringify(stats.toJson({ all: false, chunks: true, chunkModules: true, nestedModules: true, ids: true, assets: true, entrypoints: true })))
    })
  }
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
    // H5 only: the favicon (the rem bootstrap runs inside the app bundle, src/h5/document-setup.ts).
    copy: { patterns: platform === 'h5' ? [{ from: 'src/h5/favicon.svg', to: `${outputRoot}/favicon.svg` }] : [], options: {} },
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
        precompress(chain)
        if (process.env.H5_BUNDLE_STATS) chain.plugin('bundle-stats').use(BundleStatsPlugin, [path.resolve(__dirname, '..', outputRoot, '..', `${path.basename(outputRoot)}-stats.json`)])
      }
    }
  }
  if (process.env.NODE_ENV === 'development') return merge({}, baseConfig, devConfig)
  return merge({}, baseConfig, prodConfig)
})
