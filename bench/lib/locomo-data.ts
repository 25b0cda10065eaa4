/**
 * LoCoMo loader (../shared/bench/README.md): sessions and turns in order, and the questions with their evidence
 * repaired where the file's quirks allow ("D8:6; D9:17", "D:11:26", "D30:05") and skipped where nothing valid is left.
 */
import fs from 'node:fs';

export interface Turn {
  diaId: string;
  speaker: string;
  text: string;
  caption?: string;
}

export interface Session {
  index: number;
  dateTime: string;
  turns: Turn[];
}

export interface Question {
  question: string;
  category: number;
  evidence: string[];
}

export interface Conversation {
  id: string;
  speakerA: string;
  speakerB: string;
  sessions: Session[];
  questions: Question[];
  /** Questions dropped because none of their evidence ids names a real turn. */
  skipped: number;
}

/** What a turn says: its text and the caption of the image it shared. */
export function spokenText(t: Turn): string {
  return `${t.text}${t.caption ? ` [shares an image: ${t.caption}]` : ''}`;
}

/** A turn with its speaker, as the baseline indexes it. */
export function turnText(t: Turn): string {
  return `${t.speaker}: ${spokenText(t)}`;
}

function normaliseId(raw: string): string | undefined {
  const m = raw.trim().match(/^D:?(\d+):0*(\d+)$/);
  return m ? `D${Number(m[1])}:${Number(m[2])}` : undefined;
}

export function loadLocomo(file: string): Conversation[] {
  const samples = JSON.parse(fs.readFileSync(file, 'utf8')) as any[];
  return samples.map((s, n) => {
    const c = s.conversation;
    const sessions: Session[] = Object.keys(c)
      .map((k) => k.match(/^session_(\d+)$/))
      .filter((m): m is RegExpMatchArray => !!m && Array.isArray(c[m[0]]))
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b)
      .map((i) => ({
        index: i,
        dateTime: String(c[`session_${i}_date_time`]),
        turns: (c[`session_${i}`] as any[]).map((t) => ({
          diaId: normaliseId(String(t.dia_id)) ?? String(t.dia_id),
          speaker: String(t.speaker),
          text: String(t.text ?? ''),
          caption: t.blip_caption ? String(t.blip_caption) : undefined,
        })),
      }));
    const known = new Set(sessions.flatMap((x) => x.turns.map((t) => t.diaId)));
    let skipped = 0;
    const questions: Question[] = [];
    for (const q of s.qa as any[]) {
      const ids = (q.evidence as unknown[])
        .flatMap((e) => String(e).split(/[;,\s]+/))
        .map(normaliseId)
        .filter((id): id is string => !!id && known.has(id));
      const evidence = [...new Set(ids)];
      if (evidence.length === 0) {
        skipped++;
        continue;
      }
      questions.push({ question: String(q.question), category: Number(q.category), evidence });
    }
    return { id: String(s.sample_id ?? `conv-${n}`), speakerA: String(c.speaker_a), speakerB: String(c.speaker_b), sessions, questions, skipped };
  });
}
