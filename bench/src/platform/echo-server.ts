/**
 * The same minimal NestJS app (one validated POST route) on Express or on Fastify, so the bench
 * can compare the two HTTP platforms on equal terms. Usage: node echo-server.js express|fastify
 */
import 'reflect-metadata';
import { Body, Controller, Module, Post, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { IsInt, IsString, Min } from 'class-validator';

class EchoDto {
  @IsString() title!: string;
  @IsInt() @Min(0) points!: number;
}

@Controller('api/v1/echo')
class EchoController {
  @Post()
  echo(@Body() body: EchoDto) {
    return { ...body, at: Date.now() };
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

async function main() {
  const platform = process.argv[2] === 'express' ? 'express' : 'fastify';
  const adapter = platform === 'express' ? new ExpressAdapter() : new FastifyAdapter();
  const app = await NestFactory.create(EchoModule, adapter, { logger: false });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  // The bench's readiness probe asks /api/v1/health.
  const http = app.getHttpAdapter();
  http.get('/api/v1/health', (_req: unknown, res: unknown) => http.reply(res, { status: 'ok' }, 200));
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void main();
