import type { AppInfo } from './app-info';
import { maskToken } from './config/admin-token';
import { describeBackend } from './config/backend-config';
import type { AppConfig } from './config/config';
import { DOCS_PATH } from './openapi';

/** The startup banner: plain lines for a person at a terminal, not log records. */
export function banner(info: AppInfo, config: AppConfig, port: number): string {
  const wildcard = config.host === '0.0.0.0' || config.host === '::';
  const host = wildcard ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  return [
    `${info.name} ${info.version}`,
    `  backend      ${describeBackend(config.backend)}`,
    `  data         ${config.dataDir}`,
    `  listening    ${url}/api/v1  (bound to ${config.host}:${port})`,
    `  API docs     ${url}/${DOCS_PATH}`,
    ...adminTokenLines(config),
    '',
  ].join('\n');
}

function adminTokenLines({ adminToken }: AppConfig): string[] {
  switch (adminToken.source) {
    case 'env':
      return [`  admin token  from TRELLIS_ADMIN_TOKEN (${maskToken(adminToken.value)})`];
    case 'file':
      return [`  admin token  ${maskToken(adminToken.value)}, stored in ${adminToken.file} (set TRELLIS_ADMIN_TOKEN to choose your own)`];
    case 'generated':
      return [
        `  admin token  generated and stored in ${adminToken.file} (shown once; set TRELLIS_ADMIN_TOKEN to choose your own):`,
        `               ${adminToken.value}`,
      ];
  }
}
