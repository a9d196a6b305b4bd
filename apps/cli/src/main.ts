#!/usr/bin/env node
/**
 * `trellis`: the admin CLI. Each subcommand lives in commands/ and opens the backend itself.
 */
import { Command } from 'commander';
import { registerAuditCommand } from './commands/audit';
import { registerBenchCommand } from './commands/bench';
import { registerProjectionsCommand } from './commands/projections';
import { registerVerifyCommand } from './commands/verify';

const program = new Command()
  .name('trellis')
  .description('Trellis admin CLI: verify history, rebuild projections, export the audit trail, run benchmarks')
  .option('--data-dir <dir>', 'where the embedded SQLite files live', process.env.TRELLIS_DATA_DIR ?? './data');

registerVerifyCommand(program);
registerProjectionsCommand(program);
registerAuditCommand(program);
registerBenchCommand(program);

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
