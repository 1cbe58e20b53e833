import { readFileSync, writeFileSync } from 'node:fs'
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

/**
 * H5 only: zod and the shared modules that build zod schemas, as one chunk that every page needing
 * them shares. Taro splits the entry's vendors only (`chunks: 'initial'`), so each page chunk carried
 * its own copy of zod and of the schemas it uses, downloaded and parsed again on the next page. Loaded
 * beside the page's own chunk (webpack requests both at once); a page that needs no schema (home, the
 * public board) does not load it, and zod-free shared modules (labels, state groups) stay with the
 * pages. A module in the chunk runs only when a page imports it (docs/performance.md).
 */
interface SplitModule {
  resource?: string
  dependencies?: readonly { request?: string }[]
}
const isZodModule = (m: SplitModule) => /[\\/]node_modules[\\/]zod[\\/]/.test(m.resource ?? '')
const buildsSchemas = (m: SplitModule) => /[\\/]shared[\\/]src[\\/]/.test(m.resource ?? '') && (m.dependencies ?? []).some((d) => d.request === 'zod' || d.request?.startsWith('zod/'))

function shareSchemasChunk(chain: { optimization: { splitChunks: (options: object) => unknown; get: (key: string) => unknown } }): void {
  const splitChunks = chain.optimization.get('splitChunks') as { cacheGroups?: Record<string, unknown> } | false | undefined
  // Taro's own settings are kept; without them (a Taro that changed how it splits) nothing is added.
  if (!splitChunks) return
  chain.optimization.splitChunks({
    ...splitChunks,
    cacheGroups: {
      ...splitChunks.cacheGroups,
      schemas: { name: 'schemas', chunks: 'async', test: (m: SplitModule) => isZodModule(m) || buildsSchemas(m), minChunks: 1, priority: 200, enforce: true }
    }
  })
}

/** The app's start page: the first of app.config.ts's `pages` (where the app opens, from WeChat's menu or the bare address). */
function startPage(): string {
  const appConfig = readFileSync(path.resolve(__dirname, '../src/app.config.ts'), 'utf8')
  const first = /pages:\s*\[\s*'([^']+)'/.exec(appConfig)?.[1]
  if (!first) throw new Error('config/index.ts: no first page found in src/app.config.ts')
  return first
}

interface PreloadCompiler {
  webpack: { Compilation: { PROCESS_ASSETS_STAGE_SUMMARIZE: number }; sources: { RawSource: new (source: string) => unknown } }
  hooks: { thisCompilation: { tap: (name: string, fn: (compilation: PreloadCompilation) => void) => void } }
}
interface PreloadCompilation {
  hooks: { processAssets: { tap: (options: { name: string; stage: number }, fn: () => void) => void } }
  chunkGroups: Iterable<{ isInitial: () => boolean; chunks: { files: Iterable<string> }[] }>
  chunkGraph: { getChunkModules: (chunk: unknown) => { nameForCondition: () => string | null }[] }
  getAsset: (name: string) => { source: { source: () => string | Buffer } } | undefined
  updateAsset: (name: string, source: unknown) => void
}

/**
 * H5 only: `<link rel="preload">` in index.html for the start page's chunk and its CSS. Taro's router
 * asks for a page's chunk only once the entry scripts have downloaded and run, so the first page
 * waited for a round trip and a download after them; preloaded, it arrives while they run. A visit
 * that lands elsewhere (a shared link) downloads it for nothing: ~15 KB brotli, the start page is kept
 * light for that reason (docs/performance.md "Keeping the first page light").
 */
class PreloadStartPagePlugin {
  private readonly pageFile: RegExp
  constructor(page: string) {
    this.pageFile = new RegExp(`[\\\\/]src[\\\\/]${page.split('/').join('[\\\\/]')}\\.[jt]sx?$`)
  }
  apply(compiler: PreloadCompiler): void {
    compiler.hooks.thisCompilation.tap('preload-start-page', (compilation) => {
      const stage = compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_SUMMARIZE // after html-webpack-plugin wrote index.html
      compilation.hooks.processAssets.tap({ name: 'preload-start-page', stage }, () => {
        const html = compilation.getAsset('index.html')
        if (!html) return
        const files = new Set<string>()
        for (const group of compilation.chunkGroups) {
          if (group.isInitial()) continue
          const holdsPage = group.chunks.some((chunk) => compilation.chunkGraph.getChunkModules(chunk).some((m) => this.pageFile.test(m.nameForCondition() ?? '')))
          if (holdsPage) for (const chunk of group.chunks) for (const file of chunk.files) files.add(file)
        }
        if (files.size === 0) throw new Error(`preload-start-page: no chunk holds ${this.pageFile}`)
        const links = [...files]
          .filter((f) => /\.(js|css)$/.test(f))
          .sort()
          .map((f) => `<link rel="preload" href="/${f}" as="${f.endsWith('.css') ? 'style' : 'script'}">`)
          .join('')
        const source = String(html.source.source()).replace('</head>', `${links}</head>`)
        compilation.updateAsset('index.html', new compiler.webpack.sources.RawSource(source))
      })
    })
  }
}

/** `H5_BUNDLE_STATS=1`: webpack's module list per chunk, next to the output folder, to see what a page loads (docs/performance.md). */
class BundleStatsPlugin {
  constructor(private readonly file: string) {}
  apply(compiler: { hooks: { done: { tap: (name: string, fn: (stats: { toJson: (o: object) => unknown }) => void) => void } } }): void {
    compiler.hooks.done.tap('bundle-stats', (stats) => {
      const modules = { chunkModules: true, chunkModulesSpace: Infinity, nestedModules: true, nestedModulesSpace: Infinity, dependentModules: true, groupModulesByType: false }
      writeFileSync(this.file, JSON.stringify(stats.toJson({ all: false, chunks: true, ids: true, assets: true, entrypoints: true, ...modules })))
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
    plugins: [path.resolve(__dirname, 'devtools-appid-plugin.js'), path.resolve(__dirname, 'prerender-shell-plugin.js')],
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
        shareSchemasChunk(chain)
        chain.plugin('preload-start-page').use(PreloadStartPagePlugin, [startPage()])
        if (process.env.H5_BUNDLE_STATS) chain.plugin('bundle-stats').use(BundleStatsPlugin, [path.resolve(__dirname, '..', outputRoot, '..', `${path.basename(outputRoot)}-stats.json`)])
      }
    }
  }
  if (process.env.NODE_ENV === 'development') return merge({}, baseConfig, devConfig)
  return merge({}, baseConfig, prodConfig)
})
