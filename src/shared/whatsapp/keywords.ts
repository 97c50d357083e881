/**
 * Reply keywords ("BERHENTI", "STOP", "MULAI"): a customer opts out of or back into WhatsApp messages by
 * sending one of them as the whole message. Pure: the core matches incoming texts, the settings contract
 * validates the lists, the renderer can explain them.
 */

export type KeywordAction = 'opt_out' | 'opt_in';

export const DEFAULT_OPT_OUT_KEYWORDS = ['BERHENTI', 'STOP', 'UNREG'];
export const DEFAULT_OPT_IN_KEYWORDS = ['MULAI', 'START'];

/**
 * The comparable form of a text: Unicode-normalised, lower case, punctuation and emoji turned into spaces,
 * spaces collapsed and trimmed. `"  Stop. "` and `"Berhenti!! 🙏"` become `stop` and `berhenti`.
 */
export function normalizeKeyword(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Which list a message matches as a WHOLE message ("stop." matches; "jangan stop dulu" does not: a word
 * inside a longer sentence is a conversation, not an instruction). Opt-out wins if a keyword is in both
 * lists (the settings refuse that, but a customer who wants to stop must never be opted in by mistake).
 */
export function matchKeyword(
  text: string,
  lists: { optOut: readonly string[]; optIn: readonly string[] },
): KeywordAction | null {
  const t = normalizeKeyword(text);
  if (!t) return null;
  if (lists.optOut.some((k) => normalizeKeyword(k) === t)) return 'opt_out';
  if (lists.optIn.some((k) => normalizeKeyword(k) === t)) return 'opt_in';
  return null;
}
