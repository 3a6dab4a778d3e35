/** A subcommand: `load` imports its implementation only when it runs. */
export type Command = {
  name: string
  summary: string
  help: string
  load: () => Promise<(args: string[]) => Promise<number>>
}

/** Every `esign` subcommand. Issues that add commands add one entry here. */
export const COMMANDS: Command[] = [
  {
    name: 'sign',
    summary: 'sign a PDF as a named signer (incremental, PAdES B-T, visible stamp)',
    help: [
      'esign sign IN.pdf -o OUT.pdf --signer NAME [--org ORG] [--page N|last] [--rect x,y,w,h]',
      '           [--seal seal.png] [--handwriting sig.png] [--cross-page-seal] [--field NAME] [--reason TEXT]',
      '           [--location TEXT] [--invisible]',
      'Signs with an event certificate from the local CA in $ESIGN_DATA_DIR (default ./.esign-data).',
      '--rect is in points from the bottom-left corner of the page as displayed (rotation applied).',
      '--handwriting draws a handwritten signature (PNG with transparency) instead of the generated',
      'name stamp, or beside the --seal image.',
      'Compiled modules are cached as V8 bytecode in $ESIGN_COMPILE_CACHE (default: a private temp dir; "off" disables).',
      'Exit 0 signed; 2 the input is not a usable PDF (nothing written); 1 anything else.',
    ].join('\n'),
    load: async () => (await import('./sign-command')).runSign,
  },
  {
    name: 'seal',
    summary: 'draw a company or personal seal as a print-resolution PNG (and its vector PDF)',
    help: [
      'esign seal -o seal.png --kind round|oval|personal|legal-rep --name TEXT [--type 公章|合同专用章|财务专用章]',
      '           [--code 13-DIGITS] [--layout 2x2|2x3] [--pdf seal.pdf] [--dpi 600]',
      'The PNG is ready for "esign sign --seal seal.png". Exit 0 written; 1 bad usage or text the seal cannot carry.',
    ].join('\n'),
    load: async () => (await import('./seal-command')).runSeal,
  },
  {
    name: 'verify',
    summary: 'verify every signature of a PDF: integrity, signer, trusted time, chain, revocation, changes after signing',
    help: [
      'esign verify FILE.pdf [--json] [--trust ROOT.pem ...] [--ocsp URL]',
      'Trusts the platform root in $ESIGN_DATA_DIR (default ./.esign-data) plus every --trust file.',
      'Exit 0 valid; 1 not valid (or no signatures); 2 the input cannot be read as a PDF, or bad usage.',
    ].join('\n'),
    load: async () => (await import('./verify-command')).runVerify,
  },
  {
    name: 'evidence',
    summary: 'check an evidence package (证据包) offline: chain, proofs, time-stamps, every signature, report',
    help: [
      'esign evidence verify PACKAGE.zip [--json] [--trust ROOT.pem ...]',
      'Checks, with no server, the evidence chain, the Merkle proofs (when present), every time-stamp token,',
      'every signature of the contract and of the evidence report, and that the contract is the final revision',
      'the events and the report name. Prints the first broken link in Chinese with the technical detail.',
      'Trusts the platform root in $ESIGN_DATA_DIR (default ./.esign-data) plus every --trust file; with',
      "neither, the package's own root (its fingerprint is printed).",
      'Exit 0 valid; 1 a check failed; 2 bad usage or the file is not a readable zip.',
    ].join('\n'),
    load: async () => (await import('./evidence-command')).runEvidence,
  },
  {
    name: 'ca',
    summary: 'the platform CA: create it (init), print its root certificate (root), revoke a certificate',
    help: [
      'esign ca init | root | revoke SERIAL [--reason REASON]',
      '',
      'The platform CA in $ESIGN_DATA_DIR/pki (default ./.esign-data/pki): the one "esign sign" and the local',
      'server ("npm start") use. Keys are wrapped with AES-256-GCM under $ESIGN_MASTER_KEY (base64, 32 bytes) or,',
      'when unset, a generated pki/master.key (0600). CRL and OCSP URLs point at $ESIGN_PUBLIC_BASE_URL',
      '(default http://127.0.0.1:8787).',
      '',
      '  init    create the hierarchy (root → issuing CA, TSA, OCSP responder) unless it exists; say where it is',
      '  root    print the root certificate (PEM) to stdout: the trust anchor for openssl verify / ts -verify,',
      '          esign verify --trust',
      '  revoke  revoke a certificate the CA issued (hex serial, as "openssl x509 -serial" prints it): OCSP',
      '          answers revoked and the CRL is regenerated at once. --reason keyCompromise|cessationOfOperation|',
      '          affiliationChanged|superseded|privilegeWithdrawn|unspecified (default unspecified)',
      '',
      'Exit 0 done; 1 failure; 2 bad usage or configuration, or an unknown serial (nothing changed).',
    ].join('\n'),
    load: async () => (await import('./ca-command')).runCa,
  },
  {
    name: 'ltv',
    summary: 'complete a signed PDF for long-term validation: DSS (certificates, OCSP, CRLs) + document time-stamp',
    help: [
      'esign ltv IN.pdf -o OUT.pdf',
      'Appends one revision with a Document Security Store (every certificate of every signature and',
      'time-stamp, the platform CA certificates, OCSP responses and CRLs) and a document time-stamp',
      '(PAdES B-LTA) from the platform TSA in $ESIGN_DATA_DIR (default ./.esign-data). Earlier signatures',
      'stay valid. Exit 0 written; 2 bad usage, or IN.pdf is not a usable signed PDF (nothing written);',
      '1 anything else.',
    ].join('\n'),
    load: async () => (await import('./ltv-command')).runLtv,
  },
  {
    name: 'outbox',
    summary: 'print the local sandbox outbox: SMS codes, contract notices and micro-deposits the sandbox "sent"',
    help: [
      'esign outbox [--phone PHONE] [--limit N] [--json]',
      'Newest first (at most 200, default 50), from the local data in $ESIGN_DATA_DIR (default ./.esign-data),',
      'the same list as the 沙箱发件箱 page. --phone shows one recipient only. Recipients are masked.',
      'Exit 0 printed; 2 bad usage or not local mode; 1 anything else.',
    ].join('\n'),
    load: async () => (await import('./outbox-command')).runOutbox,
  },
]
