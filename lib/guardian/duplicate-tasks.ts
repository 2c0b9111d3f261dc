/**
 * The conductor's test for likely duplicate tasks: near-identical titles (word overlap after
 * light normalisation) that, when both list files, also touch mostly the same files. Generic
 * titles ("Write tests") in unrelated specs usually name different files, so they are not
 * flagged.
 */
export interface TaskFingerprint {
  title: string;
  files: string[];
}

const TITLE_THRESHOLD = 0.75;
const FILES_THRESHOLD = 0.5;

const stopWords = new Set([
  "a",
  "an",
  "and",
  "as",
  "at",
  "by",
  "for",
  "from",
  "in",
  "into",
  "is",
  "it",
  "of",
  "on",
  "or",
  "the",
  "to",
  "with",
]);

/** Lower-cased words without stop words, with plural and -ing/-ed endings folded. */
export function titleWords(title: string): Set<string> {
  const words = title
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !stopWords.has(w))
    .map((w) =>
      w.length > 4 ? w.replace(/(ing|ed|es)$/, "").replace(/s$/, "") : w.replace(/s$/, ""),
    );
  return new Set(words);
}

/** Jaccard similarity: shared / all; 0 for two empty sets. */
export function jaccard<T>(a: Set<T>, b: Set<T>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const item of a) if (b.has(item)) shared++;
  return shared / (a.size + b.size - shared);
}

/** How alike two tasks are (0–1) when they are likely duplicates; null when they are not. */
export function duplicateScore(a: TaskFingerprint, b: TaskFingerprint): number | null {
  const score = jaccard(titleWords(a.title), titleWords(b.title));
  if (score < TITLE_THRESHOLD) return null;
  if (a.files.length > 0 && b.files.length > 0) {
    if (jaccard(new Set(a.files), new Set(b.files)) < FILES_THRESHOLD) return null;
  }
  return score;
}
