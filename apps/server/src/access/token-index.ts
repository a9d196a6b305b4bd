/**
 * Tokens in memory, by SHA-256 of the token: loaded from the TokenIssued events at startup and
 * extended as tokens are issued, so authenticating a request never touches the store.
 */
import { hash } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EventStore, RecordedEvent } from '@trellis/eventstore';
import { ANY_PROJECT, TokenIssued } from '@trellis/domain/access';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Principal, PrincipalResolver } from '../common/auth/principal';

export const hashToken = (token: string): string => hash('sha256', token, 'hex');

const BOOTSTRAP_ADMIN: Principal = { actor: 'admin', roles: { [ANY_PROJECT]: ['admin'] } };
const PAGE_SIZE = 1000;

@Injectable()
export class TokenIndex extends PrincipalResolver implements OnApplicationBootstrap {
  private readonly byHash = new Map<string, Principal>();

  constructor(
    private readonly store: EventStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super();
    this.byHash.set(hashToken(config.adminToken.value), BOOTSTRAP_ADMIN);
  }

  async onApplicationBootstrap(): Promise<void> {
    for (let after = 0; ; ) {
      const page = await this.store.readAll({ after, eventTypes: ['TokenIssued'], maxCount: PAGE_SIZE });
      page.events.forEach((event) => this.add(event));
      if (page.isEnd) return;
      after = page.nextAfter;
    }
  }

  resolve(token: string): Principal | undefined {
    return this.byHash.get(hashToken(token));
  }

  add(event: RecordedEvent | TokenIssued): void {
    if (event.type !== 'TokenIssued') return;
    const { tokenHash, actor, roles } = event.data as TokenIssued['data'];
    this.byHash.set(tokenHash, { actor, roles });
  }
}
