import type { RoleGrants } from '@trellis/domain/access';

/** Who is calling: the actor named in events, and what the token lets it do. */
export interface Principal {
  actor: string;
  roles: RoleGrants;
}

/**
 * Port: turns a presented bearer token into a principal (or nothing). The access feature
 * implements it; the guard in common/ depends only on this class, which is also the DI token.
 */
export abstract class PrincipalResolver {
  abstract resolve(token: string): Principal | undefined;
}

// The principal travels on the request object under a symbol, so no other code can clobber it.
const PRINCIPAL = Symbol('principal');

type WithPrincipal = { [PRINCIPAL]?: Principal };

export function attachPrincipal(request: object, principal: Principal): void {
  (request as WithPrincipal)[PRINCIPAL] = principal;
}

export function principalOf(request: object): Principal | undefined {
  return (request as WithPrincipal)[PRINCIPAL];
}
