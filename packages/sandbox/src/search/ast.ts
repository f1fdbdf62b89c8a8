// The tree a search query parses into. Negation is a node of its own; AND/OR nodes always have at
// least two children (a group of one collapses into its child).

/** `:` is `eq`; the others are the range comparators `:<`, `:>`, `:<=`, `:>=`. */
export type Comparator = 'eq' | 'lt' | 'gt' | 'lte' | 'gte';

export interface TermNode {
  kind: 'term';
  /** Lowercased field name, or null for a free-text term. */
  field: string | null;
  /** The field name as typed, for messages. */
  rawField: string | null;
  comparator: Comparator;
  /** The value with quotes and escapes removed, and without a trailing wildcard `*`. */
  value: string;
  quoted: boolean;
  /** `value*`: match values starting with `value`; `field:*` (empty value) means "has any value". */
  prefix: boolean;
}

export interface AndNode {
  kind: 'and';
  children: SearchNode[];
}

export interface OrNode {
  kind: 'or';
  children: SearchNode[];
}

export interface NotNode {
  kind: 'not';
  child: SearchNode;
}

export type SearchNode = TermNode | AndNode | OrNode | NotNode;
