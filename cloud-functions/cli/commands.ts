/** A subcommand: `load` imports its implementation only when it runs. */
export type Command = {
  name: string
  summary: string
  help: string
  load: () => Promise<(args: string[]) => Promise<number>>
}

/** Every `esign` subcommand. Issues that add commands add one entry here. */
export const COMMANDS: Command[] = []
