// A named reply's fingerprint is how a resent submit is told from an edit. It is stored beside the
// reply, so it must come out the same in every release for the same answers, whatever their order.
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/store/values.ts';

describe('the fingerprint of a named reply', () => {
  it('is what earlier releases stored for the same answers, so a submit resent across an upgrade is still a duplicate', () => {
    expect(fingerprint({ outcome: 'answered', values: { b: 'x', a: 'æøå', '10': 'n', 'a-b': 'y', a_b: 'z', Z: 'q' } })).toBe('wVcHBcwDMV2PGduvrahbET');
    expect(fingerprint({ outcome: 'skipped', values: {} })).toBe('STAxbm--NnHstB3uzGdt38');
  });

  it('does not depend on the order of the answers, and tells different answers apart', () => {
    const answers = { outcome: 'answered' as const, values: { tryghed: '4', tanker: 'Vi leger mest ude', 'maal-1': 'Flere ture' } };
    const reordered = { outcome: 'answered' as const, values: { 'maal-1': 'Flere ture', tanker: 'Vi leger mest ude', tryghed: '4' } };
    expect(fingerprint(reordered)).toBe(fingerprint(answers));
    // Again, now that the form's order is known.
    expect(fingerprint(reordered)).toBe(fingerprint(answers));
    expect(fingerprint({ ...answers, values: { ...answers.values, tryghed: '5' } })).not.toBe(fingerprint(answers));
    expect(fingerprint({ ...answers, outcome: 'skipped' })).not.toBe(fingerprint(answers));
  });
});
