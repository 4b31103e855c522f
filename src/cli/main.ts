/**
 * `bragbot` command line. Parses arguments, runs one command, and is the one place that
 * decides the exit code: 0 done, 2 the user's input was wrong (message says what to fix),
 * 1 a bug or an outage (logged with its stack).
 */
import { Command, CommanderError } from 'commander';
import { isBragbotError } from '../core/errors.js';
import { registerCommands } from './commands/index.js';

export function buildProgram(): Command {
  const program = new Command('bragbot')
    .description('Chases BRAG action plans of partnership groups in Slack and Microsoft Teams')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (isBragbotError(e)) {
      process.stderr.write(`bragbot: ${e.message}\n`);
      return e.code === 'CONFIG_INVALID' || e.code.startsWith('IMPORT') || e.code === 'INPUT_INVALID' || e.code === 'NOT_FOUND' || e.code === 'FORBIDDEN' || e.code === 'REPORT_FROZEN' ? 2 : 1;
    }
    process.stderr.write(`bragbot: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

// Long-running commands (serve, demo) resolve only on SIGINT/SIGTERM; every command ends here.
process.exitCode = await main(process.argv.slice(2));
