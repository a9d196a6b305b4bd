/**
 * GET /lifecycles/{name}/diagram answers Mermaid text. SVG (API.md: `Accept: image/svg+xml`)
 * would need a renderer: Mermaid itself lays out in a browser DOM, and the DOM-free renderers
 * we tried drop superstate boxes and notes, which are half of what a lifecycle diagram says.
 */
import { HttpException, HttpStatus } from '@nestjs/common';

export const MERMAID_MEDIA_TYPE = 'text/plain; charset=utf-8';

const TEXT_RANGES = ['text/plain', 'text/vnd.mermaid', 'text/*', '*/*'];

/** The media ranges a client accepts (q > 0), lower-cased, without parameters. */
function acceptedRanges(accept: string): string[] {
  return accept
    .split(',')
    .map((part) => part.trim().toLowerCase().split(';'))
    .filter(([, ...params]) => !params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p)))
    .map(([range]) => range.trim())
    .filter(Boolean);
}

/** Throws 406 unless the client accepts Mermaid text (no Accept header: anything goes). */
export function assertAcceptsMermaid(accept: string | undefined): void {
  if (!accept) return;
  const ranges = acceptedRanges(accept);
  if (ranges.some((range) => TEXT_RANGES.includes(range))) return;
  const message = ranges.includes('image/svg+xml')
    ? 'SVG rendering is not available offline on this server; ask for text/plain (Mermaid stateDiagram-v2) and render it with Mermaid where a browser is at hand'
    : `the diagram is available as text/plain (Mermaid stateDiagram-v2) only, not as ${accept}`;
  throw new HttpException(message, HttpStatus.NOT_ACCEPTABLE);
}
