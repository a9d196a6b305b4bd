/**
 * GraphQL at /graphql (API.md, GraphQL), code-first on Mercurius: Fastify-native, with
 * subscriptions over a websocket built in. Resolvers call the query services the REST
 * controllers use; auth is the same bearer token, checked by the same global guard; errors carry
 * the API's codes in `extensions.code`.
 */
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { EntitiesModule } from '../entities/entities.module';
import { ExecutionsModule } from '../executions/executions.module';
import { LifecyclesModule } from '../lifecycles/lifecycles.module';
import { ProjectionsModule } from '../projections/projections.module';
import { WorkflowsModule } from '../workflows/workflows.module';
import { ReadModelChanges } from './changes.service';
import { connectionInit, httpContext, subscriptionContext } from './context';
import { formatGraphqlErrors } from './errors';
import { JSONScalar } from './json.scalar';
import { AdminResolver } from './resolvers/admin.resolver';
import { AuditResolver } from './resolvers/audit.resolver';
import { BoardChangeResolver, BoardResolver } from './resolvers/board.resolver';
import { EntitiesResolver } from './resolvers/entities.resolver';
import { ExecutionsResolver } from './resolvers/executions.resolver';

@Module({
  imports: [
    ProjectionsModule,
    EntitiesModule,
    LifecyclesModule,
    WorkflowsModule,
    ExecutionsModule,
    GraphQLModule.forRoot<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      path: '/graphql',
      autoSchemaFile: true,
      sortSchema: true,
      graphiql: false,
      resolvers: { JSON: JSONScalar },
      context: httpContext,
      subscription: { onConnect: connectionInit, context: subscriptionContext },
      errorFormatter: formatGraphqlErrors as MercuriusDriverConfig['errorFormatter'],
    }),
  ],
  providers: [ReadModelChanges, BoardResolver, BoardChangeResolver, AuditResolver, ExecutionsResolver, AdminResolver, EntitiesResolver],
})
export class TrellisGraphqlModule {}
