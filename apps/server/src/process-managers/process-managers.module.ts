import { Module } from '@nestjs/common';
import { ProcessManagersService } from './process-managers.service';

@Module({ providers: [ProcessManagersService], exports: [ProcessManagersService] })
export class ProcessManagersModule {}
