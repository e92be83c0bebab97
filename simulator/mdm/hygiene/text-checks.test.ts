import { describe, expect, it } from 'vitest';
import { unsafeTextProblem } from './text-checks.js';

describe('unsafeTextProblem', () => {
  it.each([
    ['NUL', 'a\u0000b'],
    ['tab', 'a\tb'],
    ['DEL', 'a\u007fb'],
    ['C1', 'a\u0085b'],
    ['right-to-left override', 'abc\u202Eexe.jpg'],
    ['isolate', '\u2066x'],
    ['lone high surrogate', 'x\uD800'],
    ['lone low surrogate', '\uDC00x'],
    ['reversed pair', '\uDC00\uD800'],
  ])('refuses %s', (_name, text) => {
    expect(unsafeTextProblem(text)).toMatch(/U\+[0-9A-F]{4}/);
  });

  it.each(['Pixel 8 (Ana)', 'Zoë’s iPad', '李的手机', 'emoji 📱 ok', "O'Brien"])('accepts %s', (text) => {
    expect(unsafeTextProblem(text)).toBeNull();
  });
});
