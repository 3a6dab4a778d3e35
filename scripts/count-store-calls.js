'use strict'
/**
 * Preloaded into the local server by `BENCH_STORE_CALLS=1 npm run bench:flow` (node --require): counts the
 * metadata store's calls by method and key family (the partition key before its first '#'), and on
 * SIGUSR2 writes the counts so far to $STORE_CALLS_FILE and starts again. A measuring aid only: the
 * product never loads it.
 */
const fs = require('node:fs')
const path = require('node:path')
const { SqliteMetadataStore } = require(path.join(__dirname, '..', 'build', 'cloud-functions', 'adapters', 'local', 'sqlite-metadata-store.js'))

let counts = {}
const family = (pk) => String(pk).split('#')[0]
const add = (key) => (counts[key] = (counts[key] ?? 0) + 1)
const proto = SqliteMetadataStore.prototype
for (const method of ['get', 'put', 'delete', 'query', 'queryIndex', 'transact']) {
  const original = proto[method]
  proto[method] = function (...args) {
    if (method === 'transact') {
      add('transact')
      for (const op of args[0]) add(`  transact.${Object.keys(op)[0]} ${family((op.put ?? op.delete ?? op.check).pk)}`)
    } else add(`${method} ${family(method === 'put' ? args[0].pk : args[0])}`)
    return original.apply(this, args)
  }
}
process.on('SIGUSR2', () => {
  fs.writeFileSync(process.env.STORE_CALLS_FILE, JSON.stringify(counts))
  counts = {}
})
