import { HttpException } from '@nestjs/common';
import { assertAcceptsMermaid } from './diagram-media';

const status = (accept: string | undefined) => {
  try {
    assertAcceptsMermaid(accept);
    return 200;
  } catch (error) {
    return (error as HttpException).getStatus();
  }
};

describe('assertAcceptsMermaid', () => {
  it.each([
    [undefined, 200],
    ['*/*', 200],
    ['text/plain', 200],
    ['text/*;q=0.1', 200],
    ['image/svg+xml, text/plain;q=0.5', 200],
    ['image/svg+xml', 406],
    ['application/json', 406],
    ['text/plain;q=0, image/svg+xml', 406],
  ])('Accept %s → %i', (accept, expected) => {
    expect(status(accept)).toBe(expected);
  });

  it('says why there is no SVG', () => {
    expect(() => assertAcceptsMermaid('image/svg+xml')).toThrow('SVG rendering is not available offline');
  });
});
