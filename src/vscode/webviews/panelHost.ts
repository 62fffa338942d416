// The one helper every webview panel is made with: a strict CSP with a fresh nonce, assets only from dist/webview,
// messages checked against one zod schema per direction, and state that survives hiding. The panel does not keep its
// page while hidden (retainContextWhenHidden: false): the webview keeps its own state (vscode.setState) and says
// `ready` each time it loads, and the host answers with the messages that draw it again.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type * as z from 'zod/mini';
import { parseMessage } from '../../core/webview/protocol';
import { errorMessage, log } from '../platform/log';

/** Every protocol's webview → host direction has this message: the page's script ran. */
export interface ReadyMessage {
  type: 'ready';
}

export interface PanelSpec<ToWebview extends { type: string }, FromWebview extends { type: string }> {
  /** `cimNats.timeline`; with `key`, what makes a panel the same panel (shown again rather than opened twice). */
  viewType: string;
  key: string;
  title: string;
  /** The bundle's name in dist/webview: `<asset>.js` and `<asset>.css` (scripts/build.mjs `webviews`). */
  asset: string;
  toWebview: z.ZodMiniType<ToWebview>;
  fromWebview: z.ZodMiniType<FromWebview>;
  /** A name for the sentences: "to the timeline" / "from the timeline". */
  name: string;
  /** What draws the page; posted on every `ready` (first load and each show after hiding). */
  initial(): ToWebview[];
  /** Every valid message but `ready`. A failure is logged and said in one sentence. */
  onMessage(message: FromWebview, host: PanelHost<ToWebview, FromWebview>): void | Promise<void>;
  column?: vscode.ViewColumn;
}

/** What an in-host test reads of a panel: what crossed in each direction, and when the page's script ran. */
export interface PanelProbe {
  readonly viewType: string;
  readonly key: string;
  readonly panel: vscode.WebviewPanel;
  readonly posted: readonly unknown[];
  readonly received: readonly unknown[];
  /** The sentences of the messages ignored as invalid. */
  readonly rejected: readonly string[];
  /** How many times the page said `ready` (once per load: hiding and showing loads it again). */
  readonly readyCount: number;
  /** Resolves at the first `ready`: the script ran under the CSP. */
  readonly firstReady: Promise<void>;
  /** Feeds a message as if the webview sent it (checked like any other). */
  receive(raw: unknown): Promise<void>;
  /** Posts to the page as the host does (checked against its direction's schema). */
  post(message: { type: string } & Record<string, unknown>): Promise<boolean>;
}

const open = new Map<string, PanelHost<{ type: string }, { type: string }>>();

/** The open panels, oldest first (in-host tests). */
export function openPanels(viewType?: string): PanelProbe[] {
  return [...open.values()].filter((p) => viewType === undefined || p.viewType === viewType);
}

export class PanelHost<ToWebview extends { type: string }, FromWebview extends { type: string }> implements PanelProbe, vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  readonly posted: ToWebview[] = [];
  readonly received: FromWebview[] = [];
  readonly rejected: string[] = [];
  readyCount = 0;
  readonly firstReady: Promise<void>;
  private resolveReady!: () => void;
  private readonly disposables: vscode.Disposable[] = [];
  private isDisposed = false;
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;

  /** The panel already open for this view type and key, shown; or a new one. */
  static show<T extends { type: string }, F extends { type: string }>(context: vscode.ExtensionContext, spec: PanelSpec<T, F>): PanelHost<T, F> {
    const existing = open.get(`${spec.viewType}\n${spec.key}`) as PanelHost<T, F> | undefined;
    if (existing) {
      existing.panel.reveal(existing.panel.viewColumn);
      return existing;
    }
    return new PanelHost(context, spec);
  }

  private constructor(context: vscode.ExtensionContext, private spec: PanelSpec<ToWebview, FromWebview>) {
    const root = vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview');
    this.panel = vscode.window.createWebviewPanel(spec.viewType, spec.title, spec.column ?? vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [root],
    });
    this.firstReady = new Promise((resolve) => (this.resolveReady = resolve));
    this.panel.webview.html = pageHtml(this.panel.webview, root, spec);
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      this.panel.onDidDispose(() => this.dispose()),
    );
    open.set(this.id, this as unknown as PanelHost<{ type: string }, { type: string }>);
  }

  get viewType(): string {
    return this.spec.viewType;
  }

  get key(): string {
    return this.spec.key;
  }

  private get id(): string {
    return `${this.spec.viewType}\n${this.spec.key}`;
  }

  /** Changes what the page shows (and shows again after hiding): the next `initial()` and `onMessage`. */
  update(change: Pick<PanelSpec<ToWebview, FromWebview>, 'initial' | 'onMessage'>): void {
    this.spec = { ...this.spec, ...change };
  }

  /** Posts a message the schema accepts; false when the page is not there to take it (hidden: it asks again on show). */
  async post(message: ToWebview): Promise<boolean> {
    const checked = parseMessage(this.spec.toWebview, message, `to the ${this.spec.name}`);
    if (!checked.ok) throw new Error(checked.problem);
    // closed while an open or copy ran: nobody to tell
    if (this.isDisposed) return false;
    this.posted.push(message);
    return this.panel.webview.postMessage(message);
  }

  async receive(raw: unknown): Promise<void> {
    const parsed = parseMessage(this.spec.fromWebview, raw, `from the ${this.spec.name}`);
    if (!parsed.ok) {
      this.rejected.push(parsed.problem);
      log().warn(parsed.problem);
      return;
    }
    const message = parsed.message;
    this.received.push(message);
    try {
      if (message.type === 'ready') {
        this.readyCount++;
        this.resolveReady();
        for (const m of this.spec.initial()) await this.post(m);
      } else {
        await this.spec.onMessage(message, this);
      }
    } catch (e) {
      log().error(`${this.spec.title}: ${message.type} failed:`, e instanceof Error ? (e.stack ?? e.message) : e);
      void vscode.window.showErrorMessage(errorMessage(e));
    }
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    open.delete(this.id);
    this.disposed.fire();
    this.disposed.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

function pageHtml(webview: vscode.Webview, root: vscode.Uri, spec: { asset: string; title: string; viewType: string }): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, `${spec.asset}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(root, `${spec.asset}.css`));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${style.toString()}">
<title>${escapeHtml(spec.title)}</title>
</head>
<body data-view="${escapeHtml(spec.viewType)}">
<main id="root"></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
