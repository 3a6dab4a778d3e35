import fc from 'fast-check'
import { createHash } from 'node:crypto'
import { EMPTY_TREE_ROOT, inclusionProof, inclusionProofFromLevels, leafHash, merkleLevels, merkleRoot, merkleTreeFromHex, verifyInclusion } from '../../../cloud-functions/core/evidence/merkle'

// RFC 6962 test data, as in certificate-transparency's merkle_tree_test and transparency-dev/merkle
// (testonly/constants.go): eight leaves, the root of every prefix, and audit paths.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => Buffer.from(h, 'hex'))
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
]
const PATHS: { index: number; size: number; path: string[] }[] = [
  { index: 0, size: 1, path: [] },
  {
    index: 0,
    size: 8,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    path: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    index: 2,
    size: 3,
    path: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'],
  },
  {
    index: 1,
    size: 5,
    path: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
]

const hex = (b: Buffer) => b.toString('hex')
const leaves = LEAVES.map(leafHash)

describe('RFC 6962 Merkle tree (pure)', () => {
  it('hashes the empty tree as SHA-256 of nothing', () => {
    expect(hex(merkleRoot([]))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(merkleRoot([]).equals(EMPTY_TREE_ROOT)).toBe(true)
  })

  it('gives the RFC 6962 test roots for every prefix of the eight test leaves', () => {
    for (let n = 1; n <= 8; n++) expect(hex(merkleRoot(leaves.slice(0, n)))).toBe(ROOTS[n - 1])
  })

  it('gives the test audit paths, and they verify against the test roots', () => {
    for (const { index, size, path } of PATHS) {
      const tree = leaves.slice(0, size)
      expect(inclusionProof(tree, index).map(hex)).toEqual(path)
      expect(verifyInclusion(leaves[index], index, size, path.map((p) => Buffer.from(p, 'hex')), Buffer.from(ROOTS[size - 1], 'hex'))).toBe(true)
    }
  })

  it('refuses a proof for another index, size, leaf or root, and a path one hash short or long', () => {
    const root = Buffer.from(ROOTS[7], 'hex')
    const path = inclusionProof(leaves, 5)
    expect(verifyInclusion(leaves[5], 5, 8, path, root)).toBe(true)
    expect(verifyInclusion(leaves[5], 4, 8, path, root)).toBe(false)
    expect(verifyInclusion(leaves[5], 5, 6, path, root)).toBe(false) // (size 7 has the same shape at leaf 5: the root binds it)
    expect(verifyInclusion(leaves[4], 5, 8, path, root)).toBe(false)
    expect(verifyInclusion(leaves[5], 5, 8, path, Buffer.from(ROOTS[6], 'hex'))).toBe(false)
    expect(verifyInclusion(leaves[5], 5, 8, path.slice(0, 2), root)).toBe(false)
    expect(verifyInclusion(leaves[5], 5, 8, [...path, leaves[0]], root)).toBe(false)
    expect(verifyInclusion(leaves[5], 8, 8, path, root)).toBe(false)
    expect(() => inclusionProof(leaves, 8)).toThrow(RangeError)
  })

  it('property: every leaf of every tree has a proof that verifies, and any changed byte or position fails', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 8 }), { minLength: 1, maxLength: 70 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        (data, pick, flipAt, flipBits) => {
          const tree = data.map(leafHash)
          const root = merkleRoot(tree)
          for (let i = 0; i < tree.length; i++) {
            if (!verifyInclusion(tree[i], i, tree.length, inclusionProof(tree, i), root)) return false
          }
          const index = pick % tree.length
          const path = inclusionProof(tree, index)
          const bit = (flipBits % 255) + 1 // a non-zero XOR mask: the byte really changes
          // A changed leaf.
          const leaf = Buffer.from(tree[index])
          leaf[flipAt % 32] ^= bit
          if (verifyInclusion(leaf, index, tree.length, path, root)) return false
          // A changed root.
          const badRoot = Buffer.from(root)
          badRoot[flipAt % 32] ^= bit
          if (verifyInclusion(tree[index], index, tree.length, path, badRoot)) return false
          // A changed path hash.
          if (path.length > 0) {
            const badPath = path.map((p) => Buffer.from(p))
            badPath[flipAt % path.length][flipAt % 32] ^= bit
            if (verifyInclusion(tree[index], index, tree.length, badPath, root)) return false
          }
          // Another position (when that leaf differs).
          const other = (index + 1 + (flipAt % tree.length)) % tree.length
          if (other !== index && !tree[other].equals(tree[index]) && verifyInclusion(tree[index], other, tree.length, path, root)) return false
          return true
        },
      ),
      { numRuns: 200 },
    )
  })
})

describe('merkleTreeFromHex (the checkpoint’s tree)', () => {
  const hex = (i: number) => createHash('sha256').update(`event ${i}`).digest('hex')
  it.each([1, 2, 3, 5, 8, 13, 31, 64, 100, 1000])('has the root and audit paths of merkleLevels for %i leaves', (n) => {
    const hashes = Array.from({ length: n }, (_, i) => hex(i))
    const tree = merkleTreeFromHex(hashes)
    const levels = merkleLevels(hashes.map((h) => leafHash(Buffer.from(h, 'hex'))))
    expect(tree.root).toBe(levels[levels.length - 1][0].toString('hex'))
    expect(tree.size).toBe(n)
    for (let i = 0; i < n; i++) expect(tree.path(i)).toEqual(inclusionProofFromLevels(levels, i).map((b) => b.toString('hex')))
  })
  it('has the empty-tree root for no leaves, and refuses a hash that is not 64 hex digits', () => {
    expect(merkleTreeFromHex([]).root).toBe(EMPTY_TREE_ROOT.toString('hex'))
    expect(() => merkleTreeFromHex(['ab'])).toThrow(TypeError)
    expect(() => merkleTreeFromHex(['z'.repeat(64)])).toThrow(TypeError)
    expect(() => merkleTreeFromHex([hex(1)]).path(1)).toThrow(RangeError)
  })
})
