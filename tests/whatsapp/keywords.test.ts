import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OPT_IN_KEYWORDS,
  DEFAULT_OPT_OUT_KEYWORDS,
  matchKeyword,
} from '../../src/shared/whatsapp/keywords';

const lists = { optOut: DEFAULT_OPT_OUT_KEYWORDS, optIn: DEFAULT_OPT_IN_KEYWORDS };

describe('reply keywords', () => {
  it('match the whole message, whatever the case, spaces, punctuation or emoji around it', () => {
    for (const text of [
      'STOP',
      'stop.',
      ' Stop ',
      'Berhenti!',
      'BERHENTI!!! 🙏',
      'unreg',
      '*STOP*',
      'stop\n',
    ]) {
      expect(matchKeyword(text, lists), text).toBe('opt_out');
    }
    for (const text of ['MULAI', 'mulai.', 'Start!']) expect(matchKeyword(text, lists), text).toBe('opt_in');
  });

  it('do not match a keyword inside a sentence, a different word, or an empty message', () => {
    for (const text of [
      'jangan stop dulu',
      'stop dulu',
      'berhentikan',
      'STOPP',
      'mulai besok bayar',
      '',
      '!!!',
      'S T O P',
    ]) {
      expect(matchKeyword(text, lists), text).toBeNull();
    }
  });

  it('multi-word keywords match with any spacing and punctuation; opt-out wins over opt-in', () => {
    expect(matchKeyword('Jangan   kirim lagi!', { optOut: ['jangan kirim lagi'], optIn: [] })).toBe(
      'opt_out',
    );
    expect(matchKeyword('stop', { optOut: ['STOP'], optIn: ['stop'] })).toBe('opt_out');
  });
});
