import { describe, expect, it } from 'vitest';
import { toHtml } from './html.js';
import { toJsonReport } from './json.js';
import { toJUnitXml } from './junit.js';
import { toMarkdown } from './markdown.js';
import { findSecretLike } from './secrets.js';
import { sampleRun } from './test-support/sample-run.js';

describe('findSecretLike', () => {
  it('returns the secrets that appear in the text, once each', () => {
    expect(findSecretLike('temporary passcode 83920174 shown', ['83920174', '55512345', '83920174'])).toEqual(['83920174']);
    expect(findSecretLike('nothing here', ['83920174'])).toEqual([]);
  });

  it('ignores empty secrets, which would match everything', () => {
    expect(findSecretLike('any text', [''])).toEqual([]);
  });

  it('finds secrets in their escaped forms too', () => {
    expect(findSecretLike('<td>pa&lt;ss&amp;1</td>', ['pa<ss&1'])).toEqual(['pa<ss&1']);
    expect(findSecretLike('{"observed": "q\\"uote"}', ['q"uote'])).toEqual(['q"uote']);
    expect(findSecretLike('name="it&apos;s"', ["it's"])).toEqual(["it's"]);
  });

  it('finds none of the sample passcodes in any report of a run that never held them', () => {
    const run = sampleRun();
    const secrets = ['739184', 'Tmp-9f3K-22x', '481516'];
    for (const text of [toJUnitXml(run), toJsonReport(run), toMarkdown(run), toHtml(run)]) {
      expect(findSecretLike(text, secrets)).toEqual([]);
    }
  });
});
