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
      '           [--seal seal.png] [--cross-page-seal] [--field NAME] [--reason TEXT] [--location TEXT] [--invisible]',
      'Signs with an event certificate from the local CA in $ESIGN_DATA_DIR (default ./.esign-data).',
      'Exit 0 signed; 2 the input is not a usable PDF (nothing written); 1 anything else.',
    ].join('\n'),
    load: async () => (await import('./sign-command')).runSign,
  },
]
