/**
 * One jest run, two projects: the server (Node, TypeScript through swc) and the Taro UI (jsdom, babel).
 * Tests that need a server, emulator or Debian tool start it themselves (see test/support/).
 * @type {import('jest').Config}
 */
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
  ],
}
