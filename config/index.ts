import path from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import { dotenvParse } from '@tarojs/helper'
import TsconfigPathsPlugin from 'tsconfig-paths-webpack-plugin'
import devConfig from './dev'
import prodConfig from './prod'

const ROOT = path.resolve(__dirname, '..')
/** Wire contract shared with the server; the only folder outside `src/` the app may import from. */
const API_CONTRACT_DIR = path.join(ROOT, 'cloud-functions', 'api')
/** The local server's default address. The mini-program cannot use relative URLs, so it needs one. */
const WEAPP_DEFAULT_API_BASE_URL = 'http://127.0.0.1:8787'

/**
 * `API_BASE_URL` baked into the bundle. Taken from `TARO_APP_API_BASE_URL` in the shell, else from the
 * `.env*` files Taro reads (`.env`, `.env.<mode>`, `.local` variants). Empty means: H5 → same origin
 * (the local server serves the H5 build at `/` and the API at `/api/...`), weapp → the local server.
 */
function resolveApiBaseUrl(taroEnv: string | undefined, mode: string): string {
  const fromFiles = dotenvParse(ROOT, 'TARO_APP_', mode).TARO_APP_API_BASE_URL
  const configured = (process.env.TARO_APP_API_BASE_URL ?? fromFiles ?? '').trim().replace(/\/+$/, '')
  if (configured !== '') return configured
  return taroEnv === 'h5' ? '' : WEAPP_DEFAULT_API_BASE_URL
}

// https://taro-docs.jd.com/docs/next/config#defineconfig-辅助函数
export default defineConfig<'webpack5'>(async (merge, { mode }) => {
  const apiBaseUrl = resolveApiBaseUrl(process.env.TARO_ENV, mode)

  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'qianyue',
    date: '2025-11-30',
    // NutUI React Taro is drawn for a 375-wide design, the app's own styles for 750 (NutUI docs, 快速上手 Taro).
    designWidth(input) {
      const file = typeof input === 'object' && input !== null ? (input as { file?: string }).file : undefined
      return file?.replace(/\\+/g, '/').includes('@nutui') ? 375 : 750
    },
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    // One folder per target so the weapp and H5 builds never overwrite each other.
    outputRoot: `dist/${process.env.TARO_ENV}`,
    plugins: [],
    defineConstants: {
      API_BASE_URL: JSON.stringify(apiBaseUrl),
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      // Taro only runs babel over `src/`; the import-free constant files in cloud-functions/api need it too.
      compile: { include: [API_CONTRACT_DIR] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
      webpackChain(chain) {
        chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin, [{ configFile: path.join(ROOT, 'tsconfig.json') }])
        chain.performance.hints(false)
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      compile: { include: [API_CONTRACT_DIR] },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        // Fixed CSS pixels on H5 (half the 750 design values) instead of rem tied to the window width:
        // text and controls keep their phone size on a 1280 px screen (the page is a centred column),
        // and no inline root-size script is needed (the served pages have a CSP).
        // @ts-expect-error postcss-pxtransform supports 'px' on H5; Taro's type lists rpx/vw/rem only.
        pxtransform: { enable: true, config: { targetUnit: 'px' } },
        autoprefixer: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
      webpackChain(chain) {
        chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin, [{ configFile: path.join(ROOT, 'tsconfig.json') }])
        chain.performance.hints(false)
      },
    },
  }

  return process.env.NODE_ENV === 'development' ? merge({}, baseConfig, devConfig) : merge({}, baseConfig, prodConfig)
})
