import type { FileKind } from './pick-file'

/** The files the app asks for: WeChat's extension list, the H5 input's `accept` list and id. */
export const FILE_KINDS = {
  pdf: { extensions: ['pdf'], accept: 'application/pdf,.pdf', inputId: 'verify-file-input' },
  /** A PDF, or an evidence package zip (the verify page). */
  pdfOrZip: { extensions: ['pdf', 'zip'], accept: 'application/pdf,.pdf,application/zip,.zip', inputId: 'verify-file-input' },
  sheet: { extensions: ['csv', 'xlsx'], accept: '.csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', inputId: 'bulk-file-input' },
} satisfies Record<string, FileKind>
