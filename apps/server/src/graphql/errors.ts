/**
 * GraphQL errors carry the API's error codes in `extensions.code` (and the details), mapped by the
 * same table as REST (common/errors/error-mapping.ts). A query GraphQL itself rejects (syntax,
 * unknown field, wrong argument type) is `validation_failed`.
 */
import type { FastifyReply } from 'fastify';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { toErrorResponse } from '../common/errors/error-mapping';

interface FormatContext {
  reply?: FastifyReply;
}

export function formatGraphqlErrors(execution: ExecutionResult & { statusCode?: number }, context: FormatContext) {
  const errors = (execution.errors ?? []).flatMap((error) => {
    // Mercurius wraps its own validation failures: one error holding the list.
    const nested = (error.originalError as { errors?: unknown } | undefined)?.errors;
    return Array.isArray(nested) ? (nested as GraphQLError[]) : [error];
  });
  const formatted = errors.map((error) => {
    const original = error.originalError;
    if (!original || original instanceof GraphQLError) {
      return { ...error.toJSON(), extensions: { ...error.extensions, code: 'validation_failed', details: {} } };
    }
    const { body, unexpected } = toErrorResponse(original);
    if (unexpected) context.reply?.log.error({ err: original, msg: 'unexpected error in a GraphQL resolver' });
    const { code, message, details } = body.error;
    return { ...new GraphQLError(message, { nodes: error.nodes, positions: error.positions, path: error.path }).toJSON(), extensions: { code, details } };
  });
  // As the GraphQL-over-HTTP spec has it: 200 when the query ran, 400 when it could not.
  const statusCode = execution.data === undefined && formatted.every((e) => e.extensions.code === 'validation_failed') ? 400 : 200;
  return { statusCode, response: { data: execution.data ?? null, errors: formatted } };
}
