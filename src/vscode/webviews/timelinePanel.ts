// A trace or an aggregate history as a timeline in a webview: one panel per title (shown again when open, with the
// new model), whose nodes open in a message view and copy as .nats blocks through the caller's handlers.
import * as vscode from 'vscode';
import type { TimelineModel, TimelineNode, TimelineRef } from '../../core/trace/timelineModel';
import { short } from '../../core/webview/timelineNavigation';
import { timelineFromWebview, timelineToWebview, type TimelineFromWebview, type TimelineToWebview } from '../../core/webview/timelineProtocol';
import { errorMessage, log } from '../platform/log';
import { PanelHost } from './panelHost';

export const TIMELINE_VIEW = 'cimNats.timeline';

export interface TimelineHandlers {
  /** Opens the message in a message view. */
  open(ref: TimelineRef): Promise<void>;
  /** The message as a .nats block; the panel puts it on the clipboard. */
  copy(ref: TimelineRef): Promise<string>;
}

export type TimelinePanel = PanelHost<TimelineToWebview, TimelineFromWebview>;

/** Shows `model` in the panel of its title (a new one, or the open one revealed and redrawn). */
export async function showTimeline(context: vscode.ExtensionContext, model: TimelineModel, handlers: TimelineHandlers): Promise<TimelinePanel> {
  const behaviour = {
    initial: (): TimelineToWebview[] => [{ type: 'show', model }],
    onMessage: (m: TimelineFromWebview, host: TimelinePanel) => act(model, handlers, m, host),
  };
  const host = PanelHost.show(context, {
    viewType: TIMELINE_VIEW,
    key: model.title,
    title: model.title,
    asset: 'timeline',
    name: 'timeline',
    toWebview: timelineToWebview,
    fromWebview: timelineFromWebview,
    column: vscode.ViewColumn.Active,
    ...behaviour,
  });
  host.update(behaviour);
  // A panel already drawn takes the new model now; a new one asks for it when its script is ready.
  if (host.readyCount > 0) await host.post({ type: 'show', model });
  return host;
}

async function act(model: TimelineModel, handlers: TimelineHandlers, m: TimelineFromWebview, host: TimelinePanel): Promise<void> {
  if (m.type !== 'open' && m.type !== 'copy') return;
  const node = model.nodes.find((n) => n.id === m.nodeId);
  if (!node) {
    log().warn(`The timeline asked for node ${m.nodeId}, which "${model.title}" does not have.`);
    return;
  }
  const ref = node.ref;
  if (!ref) {
    await host.post({ type: 'notice', severity: 'warning', text: `${short(node)} was not read from a stream (no stream sequence), so it cannot be ${m.type === 'open' ? 'opened' : 'copied'}.` });
    return;
  }
  try {
    if (m.type === 'open') {
      await handlers.open(ref);
      await host.post({ type: 'notice', severity: 'info', text: `Opened ${where(node)} in a message view.` });
    } else {
      const block = await handlers.copy(ref);
      await vscode.env.clipboard.writeText(block);
      await host.post({ type: 'notice', severity: 'info', text: `Copied ${where(node)} as a .nats block.` });
    }
  } catch (e) {
    log().error(`Timeline ${m.type} of ${where(node)} failed:`, e instanceof Error ? (e.stack ?? e.message) : e);
    await host.post({ type: 'notice', severity: 'error', text: errorMessage(e) });
    void vscode.window.showErrorMessage(errorMessage(e));
  }
}

function where(n: TimelineNode): string {
  return n.ref ? `${n.ref.stream} #${n.ref.seq}` : n.subject;
}
