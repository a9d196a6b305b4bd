/** `trellis audit export`: the audit trail read model as JSON Lines or CSV, streamed to a file or stdout. */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { AuditQueries, exportStream, type AuditExportFormat } from '@trellis/projections';
import { withStores } from './data-dir';

interface ExportOptions {
  format: AuditExportFormat;
  out?: string;
  entity?: string;
  actor?: string;
  type?: string;
  from?: string;
  to?: string;
}

export function registerAuditCommand(program: Command) {
  program
    .command('audit')
    .description('the audit trail')
    .command('export')
    .description('write the audit trail (optionally filtered) as JSON Lines or CSV, in constant memory')
    .option('--format <format>', 'jsonl or csv', (v) => {
      if (v !== 'jsonl' && v !== 'csv') throw new Error('--format must be jsonl or csv');
      return v;
    }, 'jsonl')
    .option('--out <file>', 'write here instead of stdout')
    .option('--entity <id>')
    .option('--actor <name>')
    .option('--type <eventType>')
    .option('--from <iso>', 'changes at or after this time')
    .option('--to <iso>', 'changes before this time')
    .action(({ format, out, ...filter }: ExportOptions) =>
      withStores(program, async ({ reads }) => {
        const source = exportStream(new AuditQueries(reads).entries(filter), format);
        await pipeline(source, out ? createWriteStream(out) : process.stdout);
      }),
    );
}
