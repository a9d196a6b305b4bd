import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MinLength } from 'class-validator';

export class BoardQueryDto {
  @ApiPropertyOptional({ description: "The sprint's id; omitted: the project's running sprint, else its latest, else its backlog." })
  @IsOptional()
  @IsString()
  @MinLength(1)
  sprint?: string;
}
