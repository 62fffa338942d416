// What in-host tests reach through ExtensionApi.webviews: the open panels (what crossed, when the page ran) and a
// timeline opened from a model, without a server.
import type * as vscode from 'vscode';
import type { TimelineModel } from '../../core/trace/timelineModel';
import { openPanels, type PanelProbe } from './panelHost';
import { showTimeline, type TimelineHandlers } from './timelinePanel';

export interface WebviewsTestHook {
  panels(viewType?: string): PanelProbe[];
  showTimeline(model: TimelineModel, handlers: TimelineHandlers): Promise<PanelProbe>;
}

export function webviewsTestHook(context: vscode.ExtensionContext): WebviewsTestHook {
  return { panels: openPanels, showTimeline: (model, handlers) => showTimeline(context, model, handlers) };
}
