/** Metadata keys of a document record. */
export const documentKey = (id: string) => ({ pk: `DOC#${id}`, sk: 'META' })

/** Object-store key of a document's bytes. */
export const documentObjectKey = (id: string) => `documents/${id}.pdf`
