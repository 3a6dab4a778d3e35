/**
 * One jest run, two projects: the server (Node, TypeScript through swc) and the Taro UI (jsdom, babel).
 * Tests that need a server, emulator or Debian tool start it themselves (see test/support/).
 * @type {import('jest').Config}
 */
const path = require('node:path')

const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }]

module.exports = {
  projects: [
    {
      displayName: 'server',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['<rootDir>/test/{unit,adapters,integration,e2e,interop}/**/*.test.ts'],
      transform: { '^.+\\.ts$': swc },
    },
    {
      displayName: 'ui',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/test/ui'],
      testMatch: ['<rootDir>/test/ui/**/*.test.tsx'],
      setupFilesAfterEnv: ['<rootDir>/test/ui/setup.ts'],
      // The project's babel.config.js (babel-preset-taro), as in the Taro build.
      transform: { '^.+\\.[jt]sx?$': ['babel-jest', { configFile: path.join(__dirname, 'babel.config.js') }] },
      // NutUI and its helpers ship ES modules: babel turns them into CommonJS as in the Taro build.
      transformIgnorePatterns: ['/node_modules/(?!(@nutui|@swc/helpers|@react-spring|@use-gesture)/)'],
      moduleNameMapper: {
        '^@tarojs/components$': '<rootDir>/test/ui/__mocks__/tarojs-components.tsx',
        '^@tarojs/taro$': '<rootDir>/test/ui/__mocks__/tarojs-taro.ts',
        '\\.(css|scss|less)$': '<rootDir>/test/ui/__mocks__/style.js',
        '^@api/(.*)$': '<rootDir>/cloud-functions/api/$1',
        '^@/(.*)$': '<rootDir>/src/$1',
      },
      // defineConstants of the H5 build (config/index.ts): same-origin API.
      globals: { API_BASE_URL: '' },
    },
  ],
}
