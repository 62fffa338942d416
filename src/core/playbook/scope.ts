// Which `@name = value` a `{{name}}` means at a point in the file, and what to say when none does.
import { problem, type Problem } from '../problem';
import { lineAt, lineStarts } from './scan';
import { BUILTIN_VARIABLES, type VariableDef, type VariableUse } from './types';

const BUILTINS: ReadonlySet<string> = new Set(BUILTIN_VARIABLES);

export class ScopeTracker {
  readonly all: VariableDef[] = [];
  readonly uses: VariableUse[] = [];
  private readonly fileDefs: VariableDef[] = [];
  private readonly fileMap = new Map<string, VariableDef>();
  private blockDefs: VariableDef[] = [];
  private blockMap = new Map<string, VariableDef>();
  private afterFirstVerb = false;
  private readonly undefinedUses: VariableUse[] = [];

  define(def: Omit<VariableDef, 'fileLevel'>): VariableDef {
    const d: VariableDef = { ...def, fileLevel: !this.afterFirstVerb };
    this.all.push(d);
    if (d.fileLevel) {
      this.fileDefs.push(d);
      this.fileMap.set(d.name, d);
    } else {
      this.blockDefs.push(d);
      this.blockMap.set(d.name, d);
    }
    return d;
  }

  use(name: string, start: number, end: number): void {
    const u: VariableUse = { name, range: { start, end } };
    const def = this.blockMap.get(name) ?? this.fileMap.get(name);
    if (def) u.definition = def;
    else if (!BUILTINS.has(name)) this.undefinedUses.push(u);
    this.uses.push(u);
  }

  /** The definitions visible at a verb line; file-level ones stop accumulating at the first verb. */
  atVerb(): VariableDef[] {
    this.afterFirstVerb = true;
    return this.blockDefs.length ? this.fileDefs.concat(this.blockDefs) : this.fileDefs;
  }

  endBlock(): void {
    if (this.blockDefs.length) {
      this.blockDefs = [];
      this.blockMap = new Map();
    }
  }

  /** One `playbook/undefined-variable` per undefined use, saying where the name is defined if anywhere. */
  undefinedProblems(text: string): Problem[] {
    if (!this.undefinedUses.length) return [];
    const starts = lineStarts(text);
    const line = (offset: number): number => lineAt(starts, offset) + 1;
    const byName = new Map<string, VariableDef[]>();
    for (const d of this.all) {
      const list = byName.get(d.name);
      if (list) list.push(d);
      else byName.set(d.name, [d]);
    }
    return this.undefinedUses.map(u => {
      const defs = byName.get(u.name) ?? [];
      const later = defs.find(d => d.range.start > u.range.start);
      const elsewhere = defs.find(d => d.range.start < u.range.start);
      const v = `{{${u.name}}}`;
      const message = later
        ? `${v} is used before its definition on line ${line(later.range.start)}: move "@${u.name} = ..." above this line.`
        : elsewhere
          ? `${v} is defined only inside the block on line ${line(elsewhere.range.start)}: move "@${u.name} = ..." above the first request to share it.`
          : `${v} is not defined: add "@${u.name} = value" above the request, or use a built-in (${BUILTIN_VARIABLES.join(', ')}).`;
      return problem('playbook/undefined-variable', 'error', u.range, message);
    });
  }
}
