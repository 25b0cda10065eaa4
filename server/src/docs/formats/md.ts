/**
 * Markdown → sections by heading (ATX "## Title" and setext underlines), ignoring "#" lines inside fenced
 * code. Body text stays Markdown: lists, tables and code read fine as they are, and rewriting them would
 * only lose structure.
 */
import type { Section } from '../types';

/** Heading text without Markdown decoration: "**Office** [software](x) ##" → "Office software". */
export function cleanHeading(raw: string): string {
  return raw
    .replace(/\s+#+\s*$/, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/(\*\*|__|\*|_|`|~~)(?=\S)([^]*?\S)\1/g, '$2')
    .replace(/\s+/g, ' ')
    .trim();
}

export function parseMarkdown(text: string): Section[] {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const sections: Section[] = [];
  const stack: { level: number; title: string }[] = [];
  let body: string[] = [];
  let fence: string | undefined;

  const path = () => stack.map((h) => h.title);
  const flush = (nextLevel?: number) => {
    const content = body.join('\n').trim();
    body = [];
    if (content) {
      sections.push({ headingPath: path(), text: content });
      return;
    }
    // A heading with neither text nor subheadings still says something ("## Phone: 555-0100").
    const last = stack[stack.length - 1];
    if (last && (nextLevel === undefined || nextLevel <= last.level)) sections.push({ headingPath: path(), text: last.title });
  };
  const open = (level: number, title: string) => {
    flush(level);
    while (stack.length && stack[stack.length - 1].level >= level) stack.pop();
    stack.push({ level, title });
  };

  let i = 0;
  // Front matter is metadata, not prose, but it is the author's text: keep it as a leading section.
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((l, n) => n > 0 && /^(---|\.\.\.)\s*$/.test(l));
    if (end > 0) {
      body.push(...lines.slice(1, end));
      i = end + 1;
    }
  }

  for (; i < lines.length; i++) {
    const line = lines[i];
    const fenceMark = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (fenceMark && fenceMark[0] === fence[0] && fenceMark.length >= fence.length && /^ {0,3}[`~]+\s*$/.test(line)) fence = undefined;
      body.push(line);
      continue;
    }
    if (fenceMark) {
      fence = fenceMark;
      body.push(line);
      continue;
    }
    const atx = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/.exec(line);
    if (atx) {
      const title = cleanHeading(atx[2] ?? '');
      if (title) {
        open(atx[1].length, title);
        continue;
      }
    }
    // Setext: a paragraph line underlined with === (level 1) or --- (level 2).
    const underline = /^ {0,3}(=+|-+)\s*$/.exec(line);
    const prev = body[body.length - 1];
    const prevPrev = body[body.length - 2];
    if (
      underline &&
      prev !== undefined &&
      prev.trim() &&
      !/^\s*([-*+>|]|\d+[.)])\s/.test(prev) &&
      (prevPrev === undefined || !prevPrev.trim())
    ) {
      body.pop();
      open(underline[1][0] === '=' ? 1 : 2, cleanHeading(prev));
      continue;
    }
    body.push(line);
  }
  flush();
  return sections;
}
