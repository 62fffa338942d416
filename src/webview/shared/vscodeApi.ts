// The page's side of a panel (src/vscode/webviews/panelHost.ts): the one acquireVsCodeApi() call, messages to the host,
// and the state VS Code keeps while the panel is hidden (the page itself is thrown away then).

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostChannel<Out, State> {
  post(message: Out): void;
  /** What setState kept, if `valid` accepts it (a page of an older version may have kept another shape). */
  restore(valid: (raw: unknown) => State | undefined): State | undefined;
  keep(state: State): void;
}

let api: VsCodeApi | undefined;

export function hostChannel<Out, State>(): HostChannel<Out, State> {
  // acquireVsCodeApi may be called once per page
  api ??= acquireVsCodeApi();
  const vscode = api;
  return {
    post: (message) => vscode.postMessage(message),
    restore: (valid) => valid(vscode.getState()),
    keep: (state) => vscode.setState(state),
  };
}

/** Calls `listener` with each message from the host that `parse` accepts; logs the sentence for one it refuses. */
export function onHostMessage<In>(parse: (raw: unknown) => { ok: true; message: In } | { ok: false; problem: string }, listener: (message: In) => void): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const parsed = parse(event.data);
    if (parsed.ok) listener(parsed.message);
    else console.warn(parsed.problem);
  });
}
