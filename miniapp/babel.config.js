// Taro's preset: React, TypeScript, webpack5. It also compiles ../shared/src (see config/index.ts).
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]]
}
