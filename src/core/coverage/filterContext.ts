// Whether a subject literal is a consumer's filter, and the stream the text names for that consumer. Pure (no vscode).

export interface FilterContext {
  /** The stream named before the filter (`stream: DOMAIN_SALES_EVENTS`, `consumers.add('DOMAIN_SALES_EVENTS', …)`). */
  stream?: string;
}

/** How far back a stream name is looked for: a consumer's definition is a few lines, not a file. */
const LOOK_BACK = 1500;
const FILTER_KEY = /(?:filter_subjects?|filterSubjects?|FilterSubjects?)["']?\s*[:=]\s*[[(]?\s*(?:["'`][^"'`\n]*["'`]\s*,\s*)*["'`]?$/;
const YAML_ITEM = /^\s*-\s*["']?$/;
const YAML_FILTER_LIST = /^(\s*)(?:-\s*)?["']?filter_subjects["']?\s*:\s*$/;
const STREAM = /(?:\b(?:stream_name|streamName|stream|Stream)["']?\s*[:=]\s*["'`]?|\bconsumers\.(?:add|update)\(\s*["'`])([A-Za-z0-9_-]+)/g;

/**
 * The literal starting at `start` is a consumer filter when its key says so on its line (`filter_subject: "…"`,
 * `filterSubjects: ['…', '…']`) or it is an item of a YAML `filter_subjects:` list; undefined otherwise.
 */
export function consumerFilterContext(text: string, start: number): FilterContext | undefined {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const before = text.slice(lineStart, start);
  if (!FILTER_KEY.test(before) && !(YAML_ITEM.test(before) && inYamlFilterList(text, lineStart, before))) return undefined;
  const stream = lastStreamName(text.slice(Math.max(0, start - LOOK_BACK), lineStart + before.length));
  return stream ? { stream } : {};
}

/** The item's list belongs to a `filter_subjects:` key: the nearest line above with less indentation is that key. */
function inYamlFilterList(text: string, lineStart: number, before: string): boolean {
  const indent = before.length - before.trimStart().length;
  let end = lineStart - 1;
  while (end > 0) {
    const s = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(s, end).replace(/\r$/, '');
    end = s - 1;
    const sibling = line.length - line.trimStart().length === indent && line.trimStart().startsWith('-');
    if (!line.trim() || sibling) continue;
    const m = YAML_FILTER_LIST.exec(line);
    return !!m && m[1]!.length <= indent;
  }
  return false;
}

function lastStreamName(text: string): string | undefined {
  let name: string | undefined;
  STREAM.lastIndex = 0;
  for (let m = STREAM.exec(text); m; m = STREAM.exec(text)) name = m[1];
  return name;
}
