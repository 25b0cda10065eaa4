/** Documents for the ingestion benchmarks (soak, upload): the same bytes for the same size in every run. */
import { rng } from './args';

const MB = 1024 * 1024;

/** Markdown prose with headings, about `mb` MB. */
export function markdownDocument(mb: number): string {
  const r = rng(7);
  const words = 'policy employee office software reimbursement limit approval manager travel hotel flight train budget invoice receipt expense claim'.split(' ');
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < mb * MB; i++) {
    const p = i % 30 === 0 ? `\n## Section ${i}\n\n` : Array.from({ length: 70 }, () => words[Math.floor(r() * words.length)]).join(' ') + '.\n\n';
    parts.push(p);
    size += p.length;
  }
  return parts.join('');
}
