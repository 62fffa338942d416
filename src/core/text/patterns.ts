// Small regular-expression pieces several modules share.

/** A UUID in canonical form: lowercase 8-4-4-4-12 hex. */
export const UUID_SOURCE = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
export const UUID_RE = new RegExp(`^${UUID_SOURCE}$`);
export const UUID_ANY_CASE_RE = new RegExp(`^${UUID_SOURCE}$`, 'i');

/** The whitespace NATS refuses inside a subject: space, tab, CR, LF, FF. */
export const SUBJECT_SPACE_RE = /[ \t\r\n\f]/;

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What may precede a YAML plain scalar that we read: `key: `, `- `, or `- key: ` at the start of a line. */
export const YAML_SCALAR_LEAD = '^[ \\t]*(?:-[ \\t]+)?(?:[\\w.-]+:[ \\t]+)?';
