/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.gif'
declare module '*.jpg'
declare module '*.jpeg'
declare module '*.svg'
declare module '*.css'
declare module '*.less'
declare module '*.scss'
declare module '*.sass'
declare module '*.styl'

/**
 * API origin baked in at build time by `defineConstants` (config/index.ts), without a trailing slash.
 * '' on H5 = same origin; the weapp always gets an absolute URL.
 */
declare const API_BASE_URL: string

declare namespace NodeJS {
  interface ProcessEnv {
    /** NODE 内置环境变量, 会影响到最终构建生成产物 */
    NODE_ENV: 'development' | 'production' | 'test'
    /** 当前构建的平台 */
    TARO_ENV: 'weapp' | 'swan' | 'alipay' | 'h5' | 'rn' | 'tt' | 'qq' | 'jd' | 'harmony' | 'jdrn'
    /** 当前构建的小程序 appid（可在 .env 文件中配置，覆盖 project.config.json） */
    TARO_APP_ID: string
    /** Build-time API origin, read only by config/index.ts (the app reads `API_BASE_URL`). */
    TARO_APP_API_BASE_URL?: string
  }
}
