/**
 * "a user", "an administrator", "an update", "a unit": English picks the
 * article by sound, so a "u" that sounds like "you" takes "a".
 */
export function withIndefiniteArticle(noun: string): string {
  const soundsLikeVowel =
    /^(?:[aeio]|u(?!s|n[iy]|ti|r[aeiou]|ro|k|bi))/i.test(noun) || /^hour/i.test(noun);
  return `${soundsLikeVowel ? "an" : "a"} ${noun}`;
}
