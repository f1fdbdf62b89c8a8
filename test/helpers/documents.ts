// Finds every GraphQL document in the source: each `gql` tagged template literal, read with the
// TypeScript parser so comments, strings and other tags are never mistaken for documents.

import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';

import ts from 'typescript';

import { declaredVersions } from '../../src/shopify/gql.js';

export interface FoundDocument {
  /** Absolute path of the source file. */
  file: string;
  /** 1-based line of the `gql` tag. */
  line: number;
  /** The document as written between the backticks (what `gql` returns at runtime). */
  text: string;
  /** Versions from a first-line `# @versions` comment, or null: valid on every supported version. */
  versions: string[] | null;
}

/**
 * Every `gql` document in the `.ts` files under rootDir, recursively. Skips declaration files and the
 * sandbox (`src/sandbox/`), which serves the schema rather than sending documents to Shopify.
 */
export function collectDocuments(rootDir: string): FoundDocument[] {
  return sourceFiles(rootDir).flatMap(documentsIn);
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.') || isSandboxDir(path)) continue;
      files.push(...sourceFiles(path));
    } else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      files.push(path);
    }
  }
  return files;
}

function isSandboxDir(path: string): boolean {
  return path.endsWith(`${sep}src${sep}sandbox`);
}

function documentsIn(file: string): FoundDocument[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: FoundDocument[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && node.tag.text === 'gql') {
      // The raw source between the backticks; an interpolated template keeps its `${...}` and so
      // fails to parse, reporting the mistake at its own file and line.
      const text = node.template.getText(source).slice(1, -1);
      const { line } = source.getLineAndCharacterOfPosition(node.tag.getStart(source));
      found.push({ file, line: line + 1, text, versions: declaredVersions(text) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
