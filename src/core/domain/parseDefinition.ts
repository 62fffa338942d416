// domain-definition.yaml -> DomainDefinition. Problems are data; a broken entry is skipped and the rest kept.
import type { z } from 'zod';
import { formatPath } from '../algebra/load';
import {
  AggregateSchema, CommandSchema, DomainSectionSchema, EventSchema, FieldSchema, FieldTypeSchema, SECTION_FIX, describeValue, isPlainObject, list,
} from './definitionSchema';
import type { DefinitionParseResult, DefinitionProblem, DomainAggregate, DomainCommand, DomainDefinition, DomainEvent, DomainField } from './model';
import { endsWithWords, isPascalCase, joinWords, nameWords, startsWithWords, toNameToken, toPascalCase, type NameCase } from '../text/names';
import { readYaml, type YamlPath, type YamlSource } from './yamlSource';

export interface ParseDefinitionOptions {
  /** How tokens are written: the algebra's nameCase. Default kebab. */
  nameCase?: NameCase;
  /** The domain to use when the file names none, e.g. the folder name under `domains/`. */
  fallbackDomain?: string;
}

class Problems {
  readonly list: DefinitionProblem[] = [];
  constructor(private readonly src: YamlSource) {}

  add(severity: DefinitionProblem['severity'], path: YamlPath, message: string): void {
    const p: DefinitionProblem = { severity, message: `${formatPath(path)} ${message}`, path: formatPath(path) };
    const line = this.src.lineOf(path);
    if (line !== undefined) p.line = line;
    this.list.push(p);
  }

  /** Parses one entry; an issue on a key in `essential` (or on the entry itself) drops it, others drop only that key. */
  item<S extends z.ZodType>(schema: S, raw: unknown, at: YamlPath, essential: readonly string[]): z.output<S> | undefined {
    const first = schema.safeParse(raw);
    if (first.success) return first.data;
    let fatal = false;
    for (const issue of first.error.issues) {
      const key = issue.path[0];
      fatal ||= key === undefined || essential.includes(String(key));
      this.add('error', [...at, ...issue.path.map(k => (typeof k === 'number' ? k : String(k)))], issue.message);
    }
    if (fatal || typeof raw !== 'object' || raw === null) return undefined;
    const rest: Record<string, unknown> = { ...raw };
    for (const issue of first.error.issues) delete rest[String(issue.path[0])];
    const second = schema.safeParse(rest);
    return second.success ? second.data : undefined;
  }
}

export function parseDomainDefinition(text: string, options: ParseDefinitionOptions = {}): DefinitionParseResult {
  const nameCase = options.nameCase ?? 'kebab';
  const src = readYaml(text);
  if (src.errors.length) {
    return { problems: src.errors.map(e => ({ severity: 'error' as const, message: `the file ${e.message}`, ...(e.line !== undefined ? { line: e.line } : {}) })) };
  }
  const top = src.data;
  if (top === null || top === undefined || typeof top !== 'object' || Array.isArray(top)) {
    const what = top === null || top === undefined ? 'is empty' : `holds ${describeValue(top)} at the top instead of a mapping`;
    return { problems: [{ severity: 'error', message: `the file ${what}: start it with "domain:" holding a name such as example-business`, line: 0 }] };
  }
  const root = top as Record<string, unknown>;
  const p = new Problems(src);
  const b = new Builder(nameCase, p);

  const section = p.item(DomainSectionSchema, root.domain, ['domain'], ['name']);
  const entries = (key: keyof typeof SECTION_FIX): unknown[] => p.item(list(SECTION_FIX[key]), root[key] ?? [], [key], []) ?? [];
  // Aggregates first, wherever the file puts them, so events may name one by its id (A003).
  entries('aggregates').forEach((raw, i) => b.aggregate(raw, i));
  entries('events').forEach((raw, i) => b.event(raw, i));
  entries('commands').forEach((raw, i) => b.command(raw, i));

  let name = section?.name;
  if (name !== undefined && !toNameToken(name, nameCase)) {
    p.add('error', ['domain', 'name'], `"${name}" holds no letters or digits for a subject token: use a name such as example-business`);
    name = undefined;
  }
  name ??= options.fallbackDomain;
  const problems = [...p.list].sort((x, y) => (x.line ?? 0) - (y.line ?? 0));
  if (name === undefined || !toNameToken(name, nameCase)) return { problems };
  const definition: DomainDefinition = {
    domain: toNameToken(name, nameCase),
    name,
    nameCase,
    aggregates: b.aggregates,
    events: b.events,
    commands: b.commands,
  };
  const bc = section?.bounded_context && toNameToken(section.bounded_context, nameCase);
  if (bc) definition.boundedContext = bc;
  if (section?.description) definition.description = section.description;
  return { definition, problems };
}

/** Builds the model entry by entry, so later entries can refer to earlier ones. */
class Builder {
  readonly aggregates: DomainAggregate[] = [];
  readonly events: DomainEvent[] = [];
  readonly commands: DomainCommand[] = [];

  constructor(private readonly nameCase: NameCase, private readonly p: Problems) {}

  aggregate(raw: unknown, i: number): void {
    const a = this.p.item(AggregateSchema, raw, ['aggregates', i], ['name']);
    if (!a) return;
    this.checkPascal(['aggregates', i, 'name'], a.name);
    const token = toNameToken(a.name, this.nameCase);
    if (!token) return this.noToken(['aggregates', i, 'name'], a.name, 'Order');
    const known = this.aggregates.find(x => x.token === token);
    if (known) {
      this.p.add('warning', ['aggregates', i, 'name'], `"${a.name}" is listed twice (also as ${known.name}): keep one entry`);
      return;
    }
    const agg: DomainAggregate = { name: a.name, token };
    if (a.id) agg.id = a.id;
    if (a.description) agg.description = a.description;
    this.aggregates.push(agg);
  }

  event(raw: unknown, i: number): void {
    const at = ['events', i] as const;
    const e = this.p.item(EventSchema, raw, at, ['name', 'aggregate']);
    if (!e) return;
    this.checkPascal([...at, 'name'], e.name);
    const agg = this.resolveAggregate(e.aggregate, [...at, 'aggregate']);
    if (!agg) return;
    const words = nameWords(e.name);
    const aggWords = nameWords(agg.name);
    const eventWords = startsWithWords(words, aggWords) && words.length > aggWords.length ? words.slice(aggWords.length) : words;
    if (!eventWords.length) return this.noToken([...at, 'name'], e.name, 'OrderPlaced');
    const fieldsKey = e.data !== undefined ? 'data' : 'fields';
    const event: DomainEvent = {
      id: e.id ?? e.name,
      name: e.name,
      aggregate: agg.name,
      aggregateToken: agg.token,
      eventToken: joinWords(eventWords, this.nameCase),
      fields: this.fields(e[fieldsKey] ?? [], [...at, fieldsKey]),
    };
    if (e.description) event.description = e.description;
    if (e.id === undefined) {
      this.p.add('warning', [...at, 'id'], `is missing: give the event an id such as E004 so commands can name it in produces_events`);
    }
    const sameId = this.events.findIndex(x => x.id === event.id);
    if (e.id !== undefined && sameId >= 0) {
      this.p.add('warning', [...at, 'id'], `"${event.id}" is also the id of events[${sameId}]: give every event its own id`);
    }
    const sameSubject = this.events.findIndex(x => x.aggregateToken === event.aggregateToken && x.eventToken === event.eventToken);
    if (sameSubject >= 0) {
      this.p.add('warning', [...at, 'name'], `"${e.name}" gives the same subject tokens (${event.aggregateToken}.${event.eventToken}) as events[${sameSubject}]: rename one of them`);
    }
    this.events.push(event);
  }

  command(raw: unknown, i: number): void {
    const at = ['commands', i] as const;
    const c = this.p.item(CommandSchema, raw, at, ['name']);
    if (!c) return;
    this.checkPascal([...at, 'name'], c.name);
    const produces = c.produces_events ?? [];
    produces.forEach((ref, j) => {
      if (!this.findEvent(ref)) {
        const example = this.events[0]?.id ?? 'E001';
        this.p.add('warning', [...at, 'produces_events', j], `"${ref}" names no event in this file: use an event id such as ${example}`);
      }
    });
    const words = nameWords(c.name);
    let agg = c.aggregate !== undefined ? this.resolveAggregate(c.aggregate, [...at, 'aggregate']) : undefined;
    // Verb + aggregate (RegisterCustomer) is the convention; the longest matching aggregate wins (AddShoppingCart vs Cart).
    agg ??= [...this.aggregates]
      .sort((x, y) => nameWords(y.name).length - nameWords(x.name).length)
      .find(a => endsWithWords(words, nameWords(a.name)) && words.length > nameWords(a.name).length);
    agg ??= this.aggregateOfFirstEvent(produces);
    const command: DomainCommand = { id: c.id ?? c.name, name: c.name, producesEvents: produces };
    if (agg) {
      command.aggregate = agg.name;
      command.aggregateToken = agg.token;
    }
    const aggWords = agg ? nameWords(agg.name) : [];
    const actionWords = endsWithWords(words, aggWords) && words.length > aggWords.length ? words.slice(0, -aggWords.length) : words;
    if (actionWords.length) command.actionToken = joinWords(actionWords, this.nameCase);
    if (c.description) command.description = c.description;
    if (c.data !== undefined) command.fields = this.fields(c.data, [...at, 'data']);
    if (c.id === undefined) {
      this.p.add('warning', [...at, 'id'], 'is missing: give the command an id such as C001');
    }
    this.commands.push(command);
  }

  private fields(raw: readonly unknown[], at: YamlPath): DomainField[] {
    const out: DomainField[] = [];
    raw.forEach((f, j) => {
      const keys = isPlainObject(f) ? Object.keys(f) : [];
      // One key is always the CIM-Start pair, so `- name: String` is a field called name.
      if (keys.length === 1 && isPlainObject(f)) {
        const name = keys[0]!;
        const type = this.p.item(FieldTypeSchema, f[name], [...at, j, name], []);
        if (type !== undefined) out.push({ name, type });
        return;
      }
      const field = this.p.item(FieldSchema, f, [...at, j], ['name', 'type']);
      if (field) out.push({ name: field.name, type: field.type });
    });
    return out;
  }

  /** An aggregate by name or by id (A003), added to the list the first time a name is seen. */
  private resolveAggregate(ref: string, at: YamlPath): DomainAggregate | undefined {
    const byId = this.aggregates.find(a => a.id === ref);
    if (byId) return byId;
    const token = toNameToken(ref, this.nameCase);
    if (!token) {
      this.noToken(at, ref, 'Order');
      return undefined;
    }
    this.checkPascal(at, ref);
    let agg = this.aggregates.find(a => a.token === token);
    if (!agg) {
      agg = { name: ref, token };
      this.aggregates.push(agg);
    }
    return agg;
  }

  private aggregateOfFirstEvent(refs: readonly string[]): DomainAggregate | undefined {
    const event = refs.map(ref => this.findEvent(ref)).find(e => e !== undefined);
    return event && this.aggregates.find(a => a.token === event.aggregateToken);
  }

  private findEvent(ref: string): DomainEvent | undefined {
    return this.events.find(e => e.id === ref) ?? this.events.find(e => e.name === ref);
  }

  private checkPascal(at: YamlPath, name: string): void {
    if (!isPascalCase(name) && toNameToken(name, this.nameCase)) {
      this.p.add('warning', at, `"${name}" is not PascalCase: write it as ${toPascalCase(name)}`);
    }
  }

  private noToken(at: YamlPath, name: string, example: string): void {
    this.p.add('error', at, `"${name}" holds no letters or digits for a subject token: use a PascalCase name such as ${example}`);
  }
}
