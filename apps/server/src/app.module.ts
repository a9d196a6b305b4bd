import { DynamicModule, Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AccessModule } from './access/access.module';
import { BackendModule, BackendOverrides } from './backend/backend.module';
import { EntitiesModule } from './entities/entities.module';
import { APP_CONFIG, AppConfig } from './config/config';
import { HealthModule } from './health/health.module';
import { LifecyclesModule } from './lifecycles/lifecycles.module';
import { MetricsModule } from './metrics/metrics.module';
import { ProcessManagersModule } from './process-managers/process-managers.module';
import { ProjectionsModule } from './projections/projections.module';
import { TrellisGraphqlModule } from './graphql/graphql.module';
import { RuntimeModule } from './runtime/runtime.module';
import { ShutdownGate } from './common/http/shutdown-gate';
import { WorkflowsModule } from './workflows/workflows.module';

@Global()
@Module({})
class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, overrides: BackendOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        // The command bus only dispatches in-process into the command pipeline; nothing durable
        // rides on @nestjs/cqrs's in-memory event bus.
        CqrsModule.forRoot(),
        BackendModule.forRoot(overrides),
        MetricsModule,
        HealthModule,
        AccessModule,
        RuntimeModule,
        LifecyclesModule,
        EntitiesModule,
        WorkflowsModule,
        ProjectionsModule,
        TrellisGraphqlModule,
        // Last: modules at the same depth boot in this order, and the process managers start
        // sending commands as they boot, once the command bus has its handlers.
        ProcessManagersModule,
      ],
      providers: [ShutdownGate],
    };
  }
}
