import { ApiProperty } from '@nestjs/swagger';
import type { RoleGrants } from '@trellis/domain/access';
import { ROLE_GRANTS_SCHEMA } from './create-token.dto';

export class IssuedTokenDto {
  @ApiProperty({ description: 'The bearer token. Shown only in this response: the server keeps just its hash.' })
  token: string;

  @ApiProperty()
  actor: string;

  @ApiProperty(ROLE_GRANTS_SCHEMA)
  roles: RoleGrants;
}
