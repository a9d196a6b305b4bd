import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { ROLES, type RoleGrants } from '@trellis/domain/access';
import { IsRoleGrants } from '../../common/validation/is-role-grants';

export const ROLE_GRANTS_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  description: 'Project id, or "*" for every project, mapped to the roles held there.',
  additionalProperties: { type: 'array', items: { type: 'string', enum: [...ROLES] }, minItems: 1 },
  example: { '*': ['viewer'], 'project-42': ['member', 'reviewer'] },
};

export class CreateTokenDto {
  @ApiProperty({ description: 'The actor name recorded on everything done with this token.', example: 'ci-bot', maxLength: 200 })
  @MaxLength(200)
  @IsNotEmpty()
  @IsString() // runs first: class-validator applies decorators bottom-up, and stops at the first failure
  actor: string;

  @ApiProperty(ROLE_GRANTS_SCHEMA)
  @IsRoleGrants()
  roles: RoleGrants;
}
