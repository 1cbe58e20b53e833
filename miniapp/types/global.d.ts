/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.gif'
declare module '*.jpg'
declare module '*.jpeg'
declare module '*.svg'
declare module '*.css'
declare module '*.scss'

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test'
    /** The platform this bundle is built for. */
    TARO_ENV: 'weapp' | 'h5' | 'swan' | 'alipay' | 'tt' | 'qq' | 'jd' | 'harmony' | 'rn' | 'jdrn'
    /** Read only by src/config.ts. */
    TARO_APP_API_BASE?: string
    TARO_APP_ID?: string
    TARO_APP_SUBSCRIBE_TEMPLATE_IDS?: string
  }
}
