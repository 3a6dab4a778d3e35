// babel-preset-taro: https://docs.taro.zone/docs/next/babel-config
// Used by the Taro build (weapp + H5) and by the `ui` jest project (babel-jest).
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
}
