// Limits the sandbox puts on a query document before it validates, prices or runs it, so that a hostile
// or runaway document is refused at once with a GraphQL error (HTTP 200), the way Shopify refuses one.
//
// Shopify publishes no numbers for these; the sandbox chooses (README, "the sandbox chooses"):
//   - a query string longer than MAX_QUERY_LENGTH characters is refused before it is parsed;
//   - brackets (`{`, `[`, `(`, outside strings and comments) nested deeper than MAX_QUERY_NESTING are
//     refused before parsing too, so no document can exhaust the parser's stack;
//   - an operation whose fields nest deeper than MAX_QUERY_DEPTH is refused before validation. Depth
//     counts fields: `{ shop { name } }` is 2; fragments and inline fragments add nothing, introspection
//     fields count like any other.
// The query cost limit (MAX_COST_EXCEEDED, 1000 points) is checked after these, as before.
import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

export const MAX_QUERY_LENGTH = 50_000;
export const MAX_QUERY_DEPTH = 15;
export const MAX_QUERY_NESTING = 100;

export function queryTooLongError(length: number, max: number = MAX_QUERY_LENGTH): GraphQLError {
  return new GraphQLError(`Query has length of ${length}, which exceeds max length of ${max}`, {
    extensions: { code: 'MAX_QUERY_LENGTH_EXCEEDED', length, maxLength: max },
  });
}

export function queryTooDeepError(depth: number, max: number = MAX_QUERY_DEPTH): GraphQLError {
  return new GraphQLError(`Query has depth of ${depth}, which exceeds max depth of ${max}`, {
    extensions: { code: 'MAX_DEPTH_EXCEEDED', depth, maxDepth: max },
  });
}

function queryTooNestedError(max: number): GraphQLError {
  return new GraphQLError(`Query has brackets nested deeper than ${max}`, {
    extensions: { code: 'MAX_DEPTH_EXCEEDED', maxNesting: max },
  });
}

/**
 * The query, if its brackets nest no deeper than `max`; else throws the depth error. A lexical scan
 * (strings, block strings and comments skipped), linear in the text and without recursion.
 */
export function withinNesting(query: string, max: number = MAX_QUERY_NESTING): string {
  let nesting = 0;
  for (let i = 0; i < query.length; i++) {
    const c = query.charCodeAt(i);
    if (c === 0x23 /* # */) {
      while (i < query.length && query.charCodeAt(i) !== 0x0a && query.charCodeAt(i) !== 0x0d) i++;
    } else if (c === 0x22 /* " */) {
      if (query.startsWith('"""', i)) {
        for (i += 3; i < query.length && !query.startsWith('"""', i); i++) {
          if (query.startsWith('\\"""', i)) i += 3; // an escaped triple quote does not end it
        }
        i += 2;
      } else {
        for (i++; i < query.length; i++) {
          const s = query.charCodeAt(i);
          if (s === 0x5c /* \ */) i++;
          else if (s === 0x22 || s === 0x0a || s === 0x0d) break;
        }
      }
    } else if (c === 0x7b || c === 0x5b || c === 0x28 /* { [ ( */) {
      if (++nesting > max) throw queryTooNestedError(max);
    } else if (c === 0x7d || c === 0x5d || c === 0x29 /* } ] ) */) {
      nesting--;
    }
  }
  return query;
}

/**
 * One depth error per operation nesting its fields deeper than `max`, or none. Runs on an unvalidated
 * document: unknown fragments are skipped and fragment cycles cut (validation reports both), and each
 * fragment is measured once, so the walk stays linear in the document.
 */
export function depthErrors(document: DocumentNode, max: number = MAX_QUERY_DEPTH): GraphQLError[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const fragmentDepths = new Map<string, number>();
  const measuring = new Set<string>();

  const fragmentDepth = (name: string): number => {
    const known = fragmentDepths.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment || measuring.has(name)) return 0;
    measuring.add(name);
    const depth = depthOf(fragment.selectionSet);
    measuring.delete(name);
    fragmentDepths.set(name, depth);
    return depth;
  };

  // The depth of the fields under a selection set (not counting the field that owns it).
  const depthOf = (selectionSet: SelectionSetNode): number => {
    let deepest = 0;
    for (const selection of selectionSet.selections) {
      const depth =
        selection.kind === Kind.FIELD
          ? 1 + (selection.selectionSet ? depthOf(selection.selectionSet) : 0)
          : selection.kind === Kind.INLINE_FRAGMENT
            ? depthOf(selection.selectionSet)
            : fragmentDepth(selection.name.value);
      if (depth > deepest) deepest = depth;
    }
    return deepest;
  };

  const errors: GraphQLError[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const depth = depthOf(definition.selectionSet);
    if (depth > max) errors.push(queryTooDeepError(depth, max));
  }
  return errors;
}
