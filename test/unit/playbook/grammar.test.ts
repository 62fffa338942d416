import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar, type IRawGrammar } from 'vscode-textmate';
import { fixture, ROOT } from './helpers';

// VS Code's own JSON grammar ships inside VS Code, not on npm: this stand-in has just enough (objects, arrays,
// strings, numbers) to show that the body is handed to `source.json` and that {{var}} is injected into its strings.
const STAND_IN_JSON = {
  scopeName: 'source.json',
  patterns: [{ include: '#value' }],
  repository: {
    value: {
      patterns: [
        { begin: '\\{', end: '\\}', name: 'meta.structure.dictionary.json', patterns: [{ include: '#value' }] },
        { begin: '\\[', end: '\\]', name: 'meta.structure.array.json', patterns: [{ include: '#value' }] },
        { begin: '"', end: '"', name: 'string.quoted.double.json' },
        { match: '-?\\d+(?:\\.\\d+)?', name: 'constant.numeric.json' },
      ],
    },
  },
} as unknown as IRawGrammar;

let onigReady: Promise<void> | undefined;
function loadOnig(): Promise<void> {
  const wasm = fs.readFileSync(path.join(ROOT, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  onigReady ??= oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  return onigReady;
}

async function natsGrammar(withJson: boolean): Promise<IGrammar> {
  await loadOnig();
  const registry = new Registry({
    onigLib: Promise.resolve({ createOnigScanner: p => new oniguruma.OnigScanner(p), createOnigString: s => new oniguruma.OnigString(s) }),
    loadGrammar: async scope => {
      if (scope === 'source.nats') {
        const file = path.join(ROOT, 'syntaxes/nats.tmLanguage.json');
        return parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
      }
      return scope === 'source.json' && withJson ? STAND_IN_JSON : null;
    },
  });
  const g = await registry.loadGrammar('source.nats');
  assert.ok(g);
  return g;
}

interface Tok { text: string; scopes: string[] }

function tokenize(g: IGrammar, text: string): Tok[][] {
  let stack = INITIAL;
  return text.split(/\r?\n/).map(line => {
    const r = g.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return r.tokens.map(t => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

/** The scopes of the token that is exactly `text` on the first line holding it. */
function scopesOf(lines: Tok[][], lineStartsWith: string, text: string, src: string): string[] {
  const idx = src.split(/\r?\n/).findIndex(l => l.startsWith(lineStartsWith));
  assert.ok(idx >= 0, `no line starts with ${lineStartsWith}`);
  const tok = lines[idx]!.find(t => t.text === text);
  assert.ok(tok, `no token "${text}" on line ${idx}: ${JSON.stringify(lines[idx]!.map(t => t.text))}`);
  return tok.scopes;
}

const has = (scopes: string[], prefix: string): boolean => scopes.some(s => s === prefix || s.startsWith(`${prefix}.`));
const innermost = (scopes: string[]): string => scopes[scopes.length - 1]!;

describe('nats.tmLanguage.json', () => {
  const src = fixture('example.nats');
  let lines: Tok[][];
  let g: IGrammar;
  before(async () => {
    g = await natsGrammar(true);
    lines = tokenize(g, src);
  });

  it('colours comments, block separators with their title, and variable definitions', () => {
    assert.ok(has(scopesOf(lines, '# CIM', ' CIM-Start playbook: the sales domain end to end.', src), 'comment.line.number-sign'));
    assert.ok(has(scopesOf(lines, '### Order', '###', src), 'punctuation.definition.heading'));
    assert.ok(has(scopesOf(lines, '### Order', ' Order created', src), 'entity.name.section'));
    assert.ok(has(scopesOf(lines, '@source', 'source', src), 'variable.other.definition'));
    assert.ok(has(scopesOf(lines, '@order_id', 'uuid', src), 'support.variable.builtin'));
  });

  it('colours the verb as a keyword and each CIM subject token by its role', () => {
    const pub = 'PUB prod.snapshot';
    assert.equal(innermost(scopesOf(lines, pub, 'PUB', src)), 'keyword.control.verb.nats');
    assert.equal(innermost(scopesOf(lines, pub, 'prod', src)), 'variable.language.environment.nats');
    assert.equal(innermost(scopesOf(lines, pub, 'snapshot', src)), 'keyword.other.category.nats');
    assert.equal(innermost(scopesOf(lines, pub, 'sales', src)), 'entity.name.namespace.domain.nats');
    assert.equal(innermost(scopesOf(lines, pub, 'order', src)), 'entity.name.type.aggregate.nats');
    assert.equal(innermost(scopesOf(lines, pub, '550e8400-e29b-41d4-a716-446655440000', src)), 'constant.numeric.uuid.nats');
    assert.equal(innermost(scopesOf(lines, 'PUB dev.command', 'update', src)), 'entity.name.function.action.nats');
    assert.equal(innermost(scopesOf(lines, 'PUB {{env}}', 'created', src)), 'entity.name.function.event.nats');
    assert.ok(has(scopesOf(lines, pub, 'order', src), 'meta.subject'));
  });

  it('colours wildcards and variables inside subjects', () => {
    assert.equal(innermost(scopesOf(lines, 'SUB *', '*', src)), 'keyword.operator.wildcard.single.nats');
    assert.equal(innermost(scopesOf(lines, 'SUB *', '>', src)), 'keyword.operator.wildcard.tail.nats');
    assert.equal(innermost(scopesOf(lines, 'PUB {{env}}', 'env', src)), 'support.variable.builtin.nats');
    assert.equal(innermost(scopesOf(lines, 'PUB {{env}}', 'event_id', src)), 'variable.other.nats');
    assert.ok(has(scopesOf(lines, 'PUB {{env}}', '{{', src), 'punctuation.definition.template-expression'));
  });

  it('colours header keys and the REQ timeout option', () => {
    assert.equal(innermost(scopesOf(lines, 'Nats-Msg-Id: {{event_id}}', 'Nats-Msg-Id', src)), 'support.type.property-name.header.nats');
    assert.equal(innermost(scopesOf(lines, 'Nats-Msg-Id: {{event_id}}', 'event_id', src)), 'variable.other.nats');
    assert.equal(innermost(scopesOf(lines, 'REQ', 'timeout', src)), 'variable.parameter.option.nats');
  });

  it('hands the body to source.json and still colours {{var}} inside its strings', () => {
    const scopes = scopesOf(lines, '  "aggregate_id"', 'order_id', src);
    assert.ok(has(scopes, 'meta.embedded.block.json') && has(scopes, 'string.quoted.double.json'), scopes.join(' '));
    assert.equal(innermost(scopes), 'variable.other.nats');
  });

  it('ends an unclosed JSON body at the next ### and marks a body under SUB', () => {
    const text = 'PUB dev.x\n\n{ "a": {\n### next\nSUB dev.domain.>\n{"oops": 1}\n';
    const t = tokenize(g, text);
    assert.ok(has(scopesOf(t, '### next', '###', text), 'punctuation.definition.heading'));
    assert.ok(has(scopesOf(t, 'SUB', 'SUB', text), 'keyword.control.verb'));
    assert.ok(has(scopesOf(t, '{"oops"', '{"oops": 1}', text), 'invalid.illegal.body-on-sub'));
  });

  it('still tokenizes the body when no JSON grammar is installed', async () => {
    const bare = await natsGrammar(false);
    const t = tokenize(bare, src);
    const scopes = scopesOf(t, '  "aggregate_id"', 'order_id', src);
    assert.ok(has(scopes, 'meta.embedded.block.json'));
    assert.equal(innermost(scopes), 'variable.other.nats');
    assert.ok(has(scopesOf(t, 'SUB *', 'SUB', src), 'keyword.control.verb'));
  });
});
