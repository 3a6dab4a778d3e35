import type { ContractDeps } from '../contracts/deps'

/**
 * What the templates use cases need: the contracts services (a contract made from a template is an
 * ordinary contract), whose CPU pool also fills the placeholders in the PDF.
 */
export type TemplateDeps = ContractDeps
