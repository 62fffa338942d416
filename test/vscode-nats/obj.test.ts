// Object stores in a real VS Code: the tree's stores and objects, and the commands with paths given as arguments
// (upload, download, open, delete, seal), each question answered through the prompts helper.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Objm } from '@nats-io/obj';
import { createObjectStore, uploadFile } from '../../src/nats/obj';
import type { ExtensionApi } from '../../src/vscode/wiring';
import { eventually } from '../support/eventually';
import { useNatsServer } from '../support/natsFixture';
import { explorerApi, extensionErrorsFromHere, row, rows, setConnections, tooltipText, type Row } from './explorerSupport';
import { answering } from './prompts';

describe('object stores in the explorer', function () {
  const nats = useNatsServer({ perTest: true, session: true });
  let api: ExtensionApi;
  let dir: string;
  let errorsSince: () => Promise<string>;

  before(async () => {
    api = await explorerApi();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cim-obj-host-'));
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    errorsSince = extensionErrorsFromHere(api);
    nats.defer(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await setConnections([]);
    });
    await createObjectStore(nats.session, 'FILES', { description: 'release files' });
    fs.writeFileSync(path.join(dir, 'config.json'), '{"env":"dev","replicas":3}');
    await uploadFile(nats.session, 'FILES', path.join(dir, 'config.json'));
    const os_ = await new Objm(nats.session.jetstream()).open('FILES');
    await os_.link('current', (await os_.info('config.json'))!);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') console.log(`extension errors:\n${await errorsSince()}`);
  });

  async function store(name: string): Promise<Row> {
    await setConnections([{ name, servers: [nats.url] }]);
    const conn = await eventually(`connection ${name}`, async () => (await rows(api)).find(r => r.label === name));
    const group = await eventually('the Object stores group', async () => (await rows(api, conn.node)).find(r => r.label === 'Object stores'));
    return row(api, group.node, 'FILES');
  }

  /** Runs `fn` with one window function answered by `answer`, keeping what it was shown (VS Code's own put back after). */
  async function showing<T>(fnName: 'showInputBox' | 'showInformationMessage' | 'showErrorMessage', answer: (text: string) => string | undefined, fn: () => Thenable<T>): Promise<{ result: T; shown: string[] }> {
    const w = vscode.window as unknown as Record<string, unknown>;
    const saved = w[fnName];
    const shown: string[] = [];
    w[fnName] = async (first: string | vscode.InputBoxOptions) => {
      const text = typeof first === 'string' ? first : `${first?.title ?? ''} | ${first?.prompt ?? ''}`;
      shown.push(text);
      return answer(text);
    };
    try {
      return { result: await fn(), shown };
    } finally {
      w[fnName] = saved;
    }
  }

  /** The store's row and its objects' rows once `ready` holds of them. */
  async function objectsWhen(name: string, what: string, ready: (storeRow: Row, objects: Row[]) => boolean): Promise<{ storeRow: Row; objects: Row[] }> {
    return eventually(what, async () => {
      const conn = (await rows(api)).find(r => r.label === name)!;
      const group = (await rows(api, conn.node)).find(r => r.label === 'Object stores')!;
      const storeRow = await row(api, group.node, 'FILES');
      const objects = await rows(api, storeRow.node);
      return ready(storeRow, objects) && { storeRow, objects };
    });
  }

  it('shows the store (objects, bytes, sealed) and its objects (size, modified; links as links), not OBJ_ streams', async () => {
    const s = await store('tree');
    const conn = (await rows(api)).find(r => r.label === 'tree')!;
    assert.equal((await row(api, conn.node, 'Object stores')).description, '1 store');
    assert.match(s.description, /^2 objects · [\d.]+ (B|KiB)$/);
    assert.equal(s.item.contextValue, 'objstore');
    assert.match(tooltipText(s.item), /release files/);
    assert.match(tooltipText(s.item), /storage: file · replicas: 1/);
    const objects = await rows(api, s.node);
    assert.deepEqual(objects.map(o => o.label), ['config.json', 'current']);
    assert.match(objects[0]!.description, /^26 B · \d+ s ago$/);
    assert.equal(objects[0]!.item.contextValue, 'object');
    assert.match(tooltipText(objects[0]!.item), /in 1 chunk/);
    assert.match(tooltipText(objects[0]!.item), /digest `SHA-256=[\w-]+=*`/);
    assert.equal(objects[1]!.description, '→ config.json');
    assert.match(tooltipText(objects[1]!.item), /a link to config\.json/);
  });

  it('uploads files given as arguments, asks before replacing an existing name, and downloads one back', async () => {
    const s = await store('transfer');
    const big = path.join(dir, 'big.bin');
    fs.writeFileSync(big, Buffer.alloc(700_000, 7));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'hello');
    const uploaded = await vscode.commands.executeCommand<string[]>('cimNats.obj.upload', s.node, [big, path.join(dir, 'notes.txt')]);
    assert.deepEqual(uploaded, ['big.bin', 'notes.txt']);
    const { objects } = await objectsWhen('transfer', 'the uploaded objects in the tree', (_, o) => o.length === 4);
    assert.deepEqual(objects.map(o => o.label), ['big.bin', 'config.json', 'current', 'notes.txt']);
    assert.match(objects[0]!.description, /^684 KiB · \d+ s ago$/);

    // the same name again: the question names it; Skip stores nothing
    const again = await answering({ warning: (_, buttons) => (buttons.includes('Skip') ? 'Skip' : undefined) }, () =>
      vscode.commands.executeCommand<string[]>('cimNats.obj.upload', s.node, [path.join(dir, 'notes.txt')]));
    assert.deepEqual(again.result, []);
    assert.equal(again.asked.length, 1);
    assert.match(again.asked[0]!.text, /^"notes\.txt" already exists in FILES \(5 B, modified \S+\): replace it with .*notes\.txt\?$/);
    assert.deepEqual(again.asked[0]!.items, ['Replace', 'Skip']);

    const out = path.join(dir, 'big.out');
    const saved = await vscode.commands.executeCommand<string>('cimNats.obj.download', objects[0]!.node, out);
    assert.equal(saved, out);
    assert.ok(fs.readFileSync(out).equals(fs.readFileSync(big)), 'the download is byte-identical');
  });

  it('opens a JSON object read-only, pretty-printed, through a link too', async () => {
    const s = await store('open');
    const [, current] = await rows(api, s.node);
    const text = await vscode.commands.executeCommand<string>('cimNats.obj.open', current!.node);
    assert.equal(text, '{\n  "env": "dev",\n  "replicas": 3\n}\n');
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.uri.scheme, 'cimnats-info');
    assert.equal(doc?.languageId, 'json');
    assert.equal(doc?.getText(), text);
  });

  it('deletes an object only after asking, with its size; dismissing keeps it', async () => {
    const s = await store('delete');
    const [config] = await rows(api, s.node);
    const kept = await answering({ warning: () => undefined }, () => vscode.commands.executeCommand<boolean>('cimNats.obj.delete', config!.node));
    assert.equal(kept.result, false);
    assert.deepEqual(kept.asked.map(a => [a.text, a.items]), [['Delete "config.json" (26 B) from object store FILES on delete? It cannot be brought back.', ['Delete']]]);
    assert.deepEqual((await rows(api, s.node)).map(o => o.label), ['config.json', 'current']);
    const gone = await answering({ warning: () => 'Delete' }, () => vscode.commands.executeCommand<boolean>('cimNats.obj.delete', config!.node));
    assert.equal(gone.result, true);
    await objectsWhen('delete', 'config.json gone from the tree', (_, o) => o.map(r => r.label).join() === 'current');
  });

  it('says an object too large to open, offering a download', async () => {
    const s = await store('large');
    const big = path.join(dir, 'large.log');
    fs.writeFileSync(big, 'a line.\n'.repeat(262_144));
    await vscode.commands.executeCommand('cimNats.obj.upload', s.node, [big]);
    const { objects } = await objectsWhen('large', 'large.log in the tree', (_, o) => o.some(r => r.label === 'large.log'));
    const large = objects.find(r => r.label === 'large.log')!;
    const opened = await showing('showInformationMessage', () => undefined, () => vscode.commands.executeCommand('cimNats.obj.open', large.node));
    assert.equal(opened.result, undefined);
    assert.deepEqual(opened.shown, ['"large.log" is 2 MiB, more than the 1 MiB opened in an editor: download it to a file instead.']);
  });

  it('on a protected connection, deletes an object only once its name is typed', async () => {
    await setConnections([{ name: 'guarded', servers: [nats.url], protected: true }]);
    const conn = await eventually('connection guarded', async () => (await rows(api)).find(r => r.label === 'guarded'));
    const group = await eventually('the Object stores group', async () => (await rows(api, conn.node)).find(r => r.label === 'Object stores'));
    const [config] = await rows(api, (await row(api, group.node, 'FILES')).node);
    const wrong = await showing('showInputBox', () => undefined, () => vscode.commands.executeCommand<boolean>('cimNats.obj.delete', config!.node));
    assert.equal(wrong.result, false);
    assert.deepEqual(wrong.shown, ['Delete "config.json" (26 B) from object store FILES on guarded? It cannot be brought back. | guarded is protected: type config.json to confirm.']);
    const typed = await showing('showInputBox', () => 'config.json', () => vscode.commands.executeCommand<boolean>('cimNats.obj.delete', config!.node));
    assert.equal(typed.result, true);
    await objectsWhen('guarded', 'config.json gone from the tree', (_, o) => o.map(r => r.label).join() === 'current');
  });

  it('downloads from the palette: the store and object picked, the file from the save dialog', async () => {
    await store('palette');
    const out = path.join(dir, 'picked.json');
    const run = await answering({
      pick: (labels, title) => (title === 'Download which object?' ? labels.find(l => /^(palette|FILES|config\.json)\b/.test(l)) : undefined),
      save: () => vscode.Uri.file(out),
    }, () => vscode.commands.executeCommand<string>('cimNats.obj.download'));
    assert.equal(run.result, out, JSON.stringify(run.asked));
    // the connection is asked for only when there are several (the harness may add its own)
    const picks = run.asked.filter(a => a.kind === 'pick');
    assert.equal(run.asked.at(-1)!.kind, 'save');
    assert.deepEqual(picks.at(-1)!.items.map(i => i.split(' · ')[0]), ['config.json', 'current']);
    assert.deepEqual(picks.at(-2)!.items.map(i => i.split(' · ')[0]), ['FILES']);
    assert.equal(fs.readFileSync(out, 'utf8'), '{"env":"dev","replicas":3}');
  });

  it('creates a store and deletes it after asking with its objects counted now; shows a store\'s info', async () => {
    const s = await store('stores');
    const conn = (await rows(api)).find(r => r.label === 'stores')!;
    assert.equal(await vscode.commands.executeCommand('cimNats.obj.createStore', conn.node, { name: 'SCRATCH', storage: 'memory' }), 'SCRATCH');
    const group = await eventually('the new store in the tree', async () => {
      const g = (await rows(api, conn.node)).find(r => r.label === 'Object stores')!;
      return (await rows(api, g.node)).some(r => r.label === 'SCRATCH') && g;
    });
    assert.equal(group.description, '2 stores');
    const report = await vscode.commands.executeCommand<vscode.Uri>('cimNats.obj.info', s.node);
    const text = (await vscode.workspace.openTextDocument(report)).getText();
    assert.match(text, /^# Object store FILES\n/);
    assert.match(text, /\| objects \| 2 \|/);
    assert.match(text, /\| sealed \| no \|/);
    const scratch = await row(api, group.node, 'SCRATCH');
    const asked = await answering({ warning: () => 'Delete' }, () => vscode.commands.executeCommand<boolean>('cimNats.obj.deleteStore', scratch.node));
    assert.equal(asked.result, true);
    assert.match(asked.asked[0]!.text, /^Delete object store SCRATCH on stores, with its 0 objects \(0 B\)\? They cannot be brought back\.$/);
    await eventually('SCRATCH gone from the tree', async () => {
      const g = (await rows(api, conn.node)).find(r => r.label === 'Object stores')!;
      return !(await rows(api, g.node)).some(r => r.label === 'SCRATCH');
    });
  });

  it('seals a store after saying it cannot be undone; the tree shows it sealed and an upload is refused', async () => {
    const s = await store('seal');
    const sealed = await answering({ warning: () => 'Seal' }, () => vscode.commands.executeCommand<boolean>('cimNats.obj.sealStore', s.node));
    assert.equal(sealed.result, true);
    assert.match(sealed.asked[0]!.text, /^Seal object store FILES on seal\? Its 2 objects \([\d.]+ (B|KiB)\) stay readable, but nothing can ever be added, replaced or deleted again\. This cannot be undone\.$/);
    const { storeRow } = await objectsWhen('seal', 'the store shown sealed', r => r.description.endsWith('· sealed'));
    assert.equal(storeRow.item.contextValue, 'objstore.sealed');
    // the refusal the user is shown (the command's error message), and nothing stored
    fs.writeFileSync(path.join(dir, 'late.txt'), 'late');
    const refused = await showing('showErrorMessage', () => undefined, () => vscode.commands.executeCommand('cimNats.obj.upload', storeRow.node, [path.join(dir, 'late.txt')]));
    assert.equal(refused.result, undefined);
    assert.deepEqual(refused.shown, ['Object store FILES is sealed, so uploading "late.txt" to store FILES was refused: a sealed store can be read but never changed again; use another store.']);
    assert.deepEqual((await rows(api, storeRow.node)).map(o => o.label), ['config.json', 'current']);
  });
});
