/**
 * `npm start` / `npm run start:dev`: read the configuration, start the server, print the banner.
 * SIGTERM/SIGINT close it gracefully (see createApp).
 */
import 'reflect-metadata';
import { config as loadDotenv } from 'dotenv';
import { appInfo } from './app-info';
import { createApp } from './app.factory';
import { banner } from './banner';
import { ConfigError, loadConfig } from './config/config';

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  process.stdout.write(banner(appInfo(), config, port));
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : `cannot start: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`trellis: ${message}\n`);
  process.exit(1);
});
