import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export const TEMPLATE_MEDIA_TYPE = 'text/x-handlebars-template';
export const TEMPLATE_BODY_LIMIT = 256 * 1024;

export class TemplateBodyDto {
  @ApiProperty({ description: 'Handlebars source (or send it as text/x-handlebars-template).' })
  @IsString()
  @MaxLength(TEMPLATE_BODY_LIMIT)
  source: string;
}

export class RegisteredTemplateDto {
  @ApiProperty() name: string;
  @ApiProperty() version: number;
}

export class TemplateDto extends RegisteredTemplateDto {
  @ApiProperty() source: string;
  @ApiProperty() registeredAt: string;
  @ApiProperty() registeredBy: string;
}
