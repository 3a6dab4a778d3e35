/**
 * Upload limits for seal images and signature photos. A file of its own so that the seals handler
 * can read them without loading the image decoders (pngjs, jpeg-js) that clean-image.ts brings.
 */
export const IMAGE_LIMITS = { maxBytes: 2 * 1024 * 1024, maxSide: 4096 } as const
