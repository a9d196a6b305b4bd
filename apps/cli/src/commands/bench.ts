/** `trellis bench`: runs the benchmark harness (the same as `npm run bench`). */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Command } from 'commander';

export function registerBenchCommand(program: Command) {
  program
    .command('bench')
    .description('measure raw store limits, the command pipeline and HTTP (see README, Benchmarks)')
    .allowUnknownOption()
    .argument('[args...]', 'passed to the harness, e.g. --quick, --only store,http')
    .action((args: string[]) => {
      const harness = join(__dirname, '..', '..', '..', '..', 'bench', 'src', 'main.js');
      const run = spawnSync(process.execPath, [harness, ...args], { stdio: 'inherit' });
      process.exitCode = run.status ?? 1;
    });
}
