/**
 * `POST /api/verify` and `esign verify --json`: the verification report of a signed PDF. Core
 * produces it (`core/verification/report.ts` defines it); this file re-exports the types only
 * (`export type`, erased at build), so the app imports nothing from core at run time.
 */
export type {
  ModificationVerdict,
  CertificateView,
  VerificationProblem,
  ProblemCode,
  ChangeView,
  ChangeKind,
  RevocationView,
  TimestampView,
  SignatureView,
  SignatureWidgetView,
  VerificationReport,
  VerificationVerdict,
  VerifyResponse,
} from '../core/verification/report'

/** `POST /api/verify/evidence-package` and `esign evidence verify --json`: the check of an evidence package, section by section. */
export type { PackageVerification, SectionOutcome } from '../core/evidence/verify-evidence-package'
