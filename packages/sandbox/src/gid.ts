// Shopify global ids: gid://shopify/{Type}/{id}.

export function gid(type: string, id: number | string): string {
  return `gid://shopify/${type}/${id}`;
}

export interface ParsedGid {
  type: string;
  id: string;
}

export function parseGid(value: string): ParsedGid | null {
  const match = /^gid:\/\/shopify\/([A-Za-z]+)\/([A-Za-z0-9-]+)(?:\?.*)?$/.exec(value);
  return match ? { type: match[1]!, id: match[2]! } : null;
}

/** The numeric id of a GID of the given type, or null when it is not one. */
export function numericIdOf(value: string, type: string): number | null {
  const parsed = parseGid(value);
  if (!parsed || parsed.type !== type || !/^\d{1,16}$/.test(parsed.id)) return null;
  const id = Number(parsed.id);
  return Number.isSafeInteger(id) ? id : null;
}
