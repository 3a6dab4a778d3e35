/** Metadata keys of a document record (random id). */
export const documentKey = (id: string) => ({ pk: `DOC#${id}`, sk: 'META' })

/** Object-store key of a document's bytes: content-addressed by their SHA-256 (records of several owners may share it). */
export const documentObjectKey = (sha256: string) => `documents/${sha256}.pdf`

/**
 * One owner's index of uploaded files by content: `DOCHASH#<ownerId>` / `SHA256#<hex>` → the
 * document id. De-duplication looks only here, so uploading bytes another user already stored
 * creates a separate record and says nothing about theirs.
 */
export const documentHashKey = (ownerId: string, sha256: string) => ({ pk: `DOCHASH#${ownerId}`, sk: `SHA256#${sha256}` })

/**
 * Object-store key of a cached page image of an uploaded document (template editor): content-addressed
 * like the document (its SHA-256, page, width), so every owner of the same bytes shares it.
 */
export const documentPageImageObjectKey = (sha256: string, page: number, width: number) => `documents/pages/${sha256}-${page}-${width}.png`
