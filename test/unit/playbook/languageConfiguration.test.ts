import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './helpers';

interface LanguageConfiguration {
  comments: { lineComment: string };
  wordPattern: string;
  autoClosingPairs: { open: string; close: string }[];
  folding: { markers: { start: string; end: string } };
}

const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'language-configuration.json'), 'utf8')) as LanguageConfiguration;

describe('language-configuration.json', () => {
  it('toggles # line comments and auto-closes {, [ and "', () => {
    assert.equal(config.comments.lineComment, '#');
    assert.deepEqual(config.autoClosingPairs.map(p => p.open + p.close), ['{}', '[]', '""']);
  });

  it('makes a double-click select one subject token, a whole UUID, or a variable name', () => {
    const words = 'PUB dev.domain.order-summary.550e8400-e29b-41d4-a716-446655440000.{{event_id}}'.match(new RegExp(config.wordPattern, 'g'));
    assert.deepEqual(words, ['PUB', 'dev', 'domain', 'order-summary', '550e8400-e29b-41d4-a716-446655440000', 'event_id']);
  });

  it('folds # region / # endregion markers (### blocks fold through foldingRanges)', () => {
    assert.match('# region setup', new RegExp(config.folding.markers.start));
    assert.match('  #endregion', new RegExp(config.folding.markers.end));
    assert.doesNotMatch('### Order created', new RegExp(config.folding.markers.start));
  });
});
