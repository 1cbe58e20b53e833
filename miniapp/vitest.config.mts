import { defineConfig } from 'vitest/config'
import { fileURLToPath } from 'node:url'

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url))

/**
 * Unit and page tests in jsdom: Taro components are DOM stand-ins with Taro-shaped events and
 * @tarojs/taro is mocked in test/setup.ts (recipes/taro.md §4.3). NutUI is replaced by the same kind
 * of stand-ins, so a page test exercises our logic, not the kit's rendering.
 */
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@tarojs\/components$/, replacement: r('./test/stubs/components.tsx') },
      { find: /^@nutui\/nutui-react-taro$/, replacement: r('./test/stubs/nutui.tsx') },
      { find: /^@nutui\/nutui-react-taro\/.*\.css$|^@nutui\/nutui-react-taro\/dist\/.*\/style\/css$/, replacement: r('./test/stubs/empty.ts') },
      { find: /^@\//, replacement: `${r('./src')}/` }
    ]
  },
  define: {
    'process.env.TARO_ENV': JSON.stringify('h5')
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}', 'scripts/**/*.test.{ts,mts}'],
    css: false,
    testTimeout: 10_000
  }
})
