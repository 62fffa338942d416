// The Info reports of an object and of a store, as Markdown (opened rendered by the info documents' showReport).
import { formatAgo, formatBytes, formatCount, formatNanos } from '../../core/text/format';
import { code, escape } from '../../core/text/markdown';
import type { ObjectStoreSummary, ObjectSummary } from '../../nats/obj';

export function objectReport(connection: string, o: ObjectSummary): string {
  const lines = [`# ${escape(o.name)}`, '', `Object in store **${escape(o.store)}** on ${escape(connection)}.`, ''];
  if (o.description) lines.push(escape(o.description), '');
  lines.push('| | |', '|---|---|');
  if (o.link) lines.push(`| link to | ${o.link.name ? `${escape(o.link.store)} / ${escape(o.link.name)}` : `the whole store ${escape(o.link.store)}`} |`);
  else {
    lines.push(`| size | ${formatBytes(o.size)} (${formatCount(o.size)} bytes) |`);
    lines.push(`| chunks | ${formatCount(o.chunks)}${o.maxChunkSize ? ` of at most ${formatBytes(o.maxChunkSize)}` : ''} |`);
    lines.push(`| digest | ${code(o.digest || '–')} |`);
  }
  lines.push(`| modified | ${o.modified ? `${o.modified.toISOString()} (${formatAgo(o.modified)})` : '–'} |`);
  lines.push(`| revision | ${o.revision} (the sequence of its metadata message) |`);
  lines.push(`| id | ${code(o.nuid || '–')} |`);
  const headers = Object.entries(o.headers);
  if (headers.length) lines.push('', '## Headers', '', ...headers.map(([k, v]) => `- ${code(k)}: ${v.map(escape).join(', ')}`));
  const metadata = Object.entries(o.metadata);
  if (metadata.length) lines.push('', '## Metadata', '', ...metadata.map(([k, v]) => `- ${code(k)}: ${escape(v)}`));
  return `${lines.join('\n')}\n`;
}

export function storeReport(connection: string, s: ObjectStoreSummary & { objects: number; objectsTruncated: boolean }): string {
  const lines = [`# Object store ${escape(s.name)}`, '', `On ${escape(connection)}, stored in stream ${code(s.stream)}.`, ''];
  if (s.description) lines.push(escape(s.description), '');
  lines.push('| | |', '|---|---|');
  lines.push(`| objects | ${formatCount(s.objects)}${s.objectsTruncated ? '+' : ''} |`);
  lines.push(`| size | ${formatBytes(s.bytes)} in ${formatCount(s.messages)} messages (chunks and metadata) |`);
  lines.push(`| sealed | ${s.sealed ? 'yes: it can be read, never changed again' : 'no'} |`);
  lines.push(`| storage | ${s.storage} |`);
  lines.push(`| replicas | ${s.replicas} |`);
  lines.push(`| objects expire | ${s.maxAgeNs ? `after ${formatNanos(s.maxAgeNs)}` : 'never'} |`);
  lines.push(`| max size | ${s.maxBytes > 0 ? formatBytes(s.maxBytes) : 'no limit'} |`);
  if (s.compression) lines.push(`| compression | ${s.compression} |`);
  if (s.created) lines.push(`| created | ${s.created.toISOString()} |`);
  if (s.lastActivity) lines.push(`| last change | ${s.lastActivity.toISOString()} (${formatAgo(s.lastActivity)}) |`);
  const metadata = Object.entries(s.metadata ?? {});
  if (metadata.length) lines.push('', '## Metadata', '', ...metadata.map(([k, v]) => `- ${code(k)}: ${escape(v)}`));
  return `${lines.join('\n')}\n`;
}
