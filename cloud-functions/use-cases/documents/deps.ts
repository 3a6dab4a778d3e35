import type { UploadDocumentDeps } from './upload-document'

/**
 * What the documents use cases need: object and metadata stores and the clock (the upload takes
 * all three; reading and renaming take less). `runtime/container.ts`'s `Container` provides it.
 */
export type DocumentsDeps = UploadDocumentDeps
