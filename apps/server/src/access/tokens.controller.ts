import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import type { Principal } from '../common/auth/principal';
import { Roles } from '../common/auth/roles.decorator';
import { CreateTokenDto } from './dto/create-token.dto';
import { IssuedTokenDto } from './dto/issued-token.dto';
import { TokensService } from './tokens.service';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post()
  @HttpCode(201)
  @Roles('admin')
  @ApiCreatedResponse({ type: IssuedTokenDto })
  create(@Body() body: CreateTokenDto, @CurrentActor() issuer: Principal, @Req() request: FastifyRequest): Promise<IssuedTokenDto> {
    return this.tokens.issue(body, issuer, request.id);
  }
}
