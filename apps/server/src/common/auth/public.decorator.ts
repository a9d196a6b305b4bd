import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'trellis:public';

/** Marks a route that answers without a token (only /health). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
