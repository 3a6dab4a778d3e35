import pkg from '../../package.json'

/** The product version from package.json (tsc copies the file into build/, esbuild inlines it). */
export const PRODUCT_VERSION: string = pkg.version
