// Every GraphQL document bulkfill sends is a `gql` literal, so the contract tests can find each one in the
// source and validate it against Shopify's real schema. Interpolation is refused (by type: the tag takes
// no values) because a document assembled at runtime is one the tests never saw.

/**
 * Returns the document text exactly as written in the source (raw, so escapes inside GraphQL strings
 * survive and the text sent is the text the contract test validated).
 *
 * A document that exists only on some API versions says so on its first line:
 * `# @versions 2026-10` (comma-separated); see {@link declaredVersions}.
 */
export function gql(strings: TemplateStringsArray): string {
  const [text] = strings.raw;
  if (strings.raw.length !== 1 || text === undefined) {
    throw new TypeError('gql documents cannot interpolate values; pass them as GraphQL variables');
  }
  return text;
}

const VERSIONS_COMMENT = /^#\s*@versions\b(.*)$/;

/**
 * The API versions a document declares on its first non-blank line (`# @versions 2026-07, 2026-10`),
 * or null when it declares none and so must be valid on every supported version.
 */
export function declaredVersions(document: string): string[] | null {
  const firstLine =
    document
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? '';
  const match = VERSIONS_COMMENT.exec(firstLine);
  if (!match) return null;
  return (match[1] ?? '')
    .split(',')
    .map((version) => version.trim())
    .filter((version) => version !== '');
}
